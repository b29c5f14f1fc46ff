host=${name}
region=${region}
%{ for z in ["a", "b"] }${z}%{ endfor }
upper=${upper(name)}

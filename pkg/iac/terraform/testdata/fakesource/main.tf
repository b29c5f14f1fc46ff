resource "aws_instance" "i" {
  ami = "ami-1"

  provisioner "file" {
    source      = "./scripts"
    destination = "/opt/${self.id}"
  }
}

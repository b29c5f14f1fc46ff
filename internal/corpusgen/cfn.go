package corpusgen

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// cfnTemplates writes the CloudFormation part of a mixed corpus: one YAML
// template per budget entry under cloudformation/<team>/<stack>.yaml, with
// parameters, mappings, conditions, intrinsic functions (!Ref, !Sub,
// !GetAtt, !If, !FindInMap, !Select) and IAM, bucket and key policies. A
// budget counts the model resources the CloudFormation adapter makes, not
// declarations: a bucket with a public access block and versioning makes
// three, an internet gateway (no rule reads it) none, a resource whose
// condition is false none.
func cfnTemplates(rng *rand.Rand, budgets []int, fs *FormatStats) []outFile {
	teams := max(1, min(len(serviceNames), len(budgets)))
	used := map[string]bool{}
	var out []outFile
	for i, budget := range budgets {
		team := unitName(i % teams)
		t := newStack(rng, team, fs)
		name := stackNames[t.w.rng.IntN(len(stackNames))]
		for n := 2; used[team+"/"+name]; n++ {
			name = fmt.Sprintf("%s-%d", stackNames[t.w.rng.IntN(len(stackNames))], n)
		}
		used[team+"/"+name] = true
		out = append(out, outFile{path: "cloudformation/" + team + "/" + name + ".yaml", data: t.template(name, budget)})
	}
	return out
}

var stackNames = []string{"platform", "data", "edge", "batch", "storage", "identity", "compute", "messaging", "audit", "app"}

// stack is one template being generated.
type stack struct {
	w          *writer
	fs         *FormatStats
	team       string
	production bool // the Environment parameter's default
	flowLogs   bool // the EnableFlowLogs parameter's default
	res        strings.Builder
	seq        int
	once       map[string]bool
	// Logical IDs of resources created whatever the parameters, for
	// references.
	vpc, logBucket              string
	roles, users, buckets, keys []string
	securityGroups, profiles    []string
	outputs                     []output
}

type output struct{ name, value string }

func (t *stack) output(id, attr string) {
	v := "!Ref " + id
	if attr != "" {
		v = "!GetAtt " + id + "." + attr
	}
	t.outputs = append(t.outputs, output{id + strings.ReplaceAll(attr, ".", ""), v})
}

func newStack(rng *rand.Rand, team string, fs *FormatStats) *stack {
	w := newWriter(rng)
	return &stack{w: w, fs: fs, team: team, production: w.chance(0.7), flowLogs: !w.bad(), once: map[string]bool{}}
}

// r appends to the Resources section.
func (t *stack) r(format string, args ...any) { fmt.Fprintf(&t.res, format, args...) }

// id returns a new logical ID such as ExportBucket7.
func (t *stack) id(kind string) string {
	t.seq++
	c := components[t.w.rng.IntN(len(components))]
	return strings.ToUpper(c[:1]) + c[1:] + kind + fmt.Sprint(t.seq)
}

// begin starts a resource declaration.
func (t *stack) begin(id, typ, comment string) {
	if comment != "" {
		t.r("  # %s\n", comment)
	}
	t.r("  %s:\n    Type: %s\n", id, typ)
}

func (t *stack) vpcRef() string {
	if t.vpc != "" {
		return "!Ref " + t.vpc
	}
	return "!Ref VpcId"
}

func (t *stack) anyOf(ids []string) string { return ids[t.w.rng.IntN(len(ids))] }

// name is a physical name built with !Sub: ExportBucket7 is
// ${Project}-${Environment}-export-bucket-7.
func (t *stack) name(id string) string {
	return "!Sub ${Project}-${Environment}-" + kebab(id)
}

// kebab writes a logical ID the way physical names are written.
func kebab(id string) string {
	var b strings.Builder
	for i, c := range id {
		upper, digit := c >= 'A' && c <= 'Z', c >= '0' && c <= '9'
		if i > 0 && (upper || digit && !(id[i-1] >= '0' && id[i-1] <= '9')) {
			b.WriteByte('-')
		}
		if upper {
			c += 'a' - 'A'
		}
		b.WriteRune(c)
	}
	return b.String()
}

func (t *stack) tags(id string) {
	t.r("      Tags:\n        - Key: Name\n          Value: !Sub ${Project}-${Environment}-%s\n        - Key: team\n          Value: %s\n", kebab(id), t.team)
}

// A cfnKind writes one group of related declarations and returns the
// number of model resources they make, never more than rem, or -1 when it
// cannot fit and wrote nothing.
type cfnKind func(t *stack, rem int) int

var cfnKinds = []cfnKind{
	cfnNetwork, cfnFlowLogs, cfnSecurityGroup, cfnBucket, cfnBucket, cfnRole, cfnRole, cfnManagedPolicy,
	cfnUser, cfnKey, cfnDatabase, cfnTable, cfnQueue, cfnTopic, cfnLogGroup, cfnParameter, cfnRepository,
	cfnCompute, cfnLoadBalancer, cfnTrail, cfnFunction,
}

func (t *stack) template(name string, budget int) []byte {
	w := t.w
	if budget == 0 {
		cfnPlumbing(t)
	}
	for rem := budget; rem > 0; {
		n := -1
		start := w.rng.IntN(len(cfnKinds))
		for i := 0; i < len(cfnKinds) && n < 0; i++ {
			n = cfnKinds[(start+i)%len(cfnKinds)](t, rem)
		}
		if n < 0 {
			n = cfnLogGroup(t, rem)
		}
		rem -= n
	}

	env := "staging"
	if t.production {
		env = "production"
	}
	adminCidr := "10.0.0.0/8"
	if w.bad() {
		adminCidr = "0.0.0.0/0"
	}
	var b strings.Builder
	fmt.Fprintf(&b, `AWSTemplateFormatVersion: "2010-09-09"
Description: >-
  %s %s stack, deployed by the %s team's pipeline to every environment.

Parameters:
  Project:
    Type: String
    Default: %s
  Environment:
    Type: String
    Default: %s
    AllowedValues: [staging, production]
  VpcId:
    Type: AWS::EC2::VPC::Id
    Default: vpc-0%s
  SubnetIds:
    Type: List<AWS::EC2::Subnet::Id>
    Default: subnet-0%s,subnet-0%s
  VpcCidr:
    Type: String
    Default: 10.%d.0.0/16
  AdminCidr:
    Type: String
    Default: %s
  LatestAmi:
    Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
    Default: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64
  DBPassword:
    Type: String
    NoEcho: true
    Default: %s-%s
  EnableFlowLogs:
    Type: String
    Default: "%t"
    AllowedValues: ["true", "false"]

Mappings:
  EnvironmentSettings:
    staging:
      InstanceType: t3.small
      DBInstanceClass: db.t3.medium
      RetentionDays: 14
    production:
      InstanceType: m6i.large
      DBInstanceClass: db.m6g.large
      RetentionDays: 365

Conditions:
  IsProduction: !Equals [!Ref Environment, production]
  CreateFlowLogs: !Equals [!Ref EnableFlowLogs, "true"]
  KeepBackups: !Or [!Condition IsProduction, !Equals [!Ref Project, billing]]

Resources:
`, t.team, name, t.team, t.team, env, w.hex(16), w.hex(16), w.hex(16), w.rng.IntN(250), adminCidr,
		strings.ToUpper(t.team[:1])+t.team[1:], w.hex(8), t.flowLogs)
	b.WriteString(strings.TrimSuffix(t.res.String(), "\n"))
	b.WriteString("\n")
	if len(t.outputs) > 0 {
		b.WriteString("\nOutputs:\n")
		for _, o := range t.outputs[:min(len(t.outputs), 4)] {
			fmt.Fprintf(&b, "  %s:\n    Value: %s\n    Export:\n      Name: !Sub ${AWS::StackName}-%s\n", o.name, o.value, kebab(o.name))
		}
	}
	return []byte(b.String())
}

// cfnPlumbing writes routing declarations no rule reads: the whole of a
// template whose budget is zero.
func cfnPlumbing(t *stack) {
	t.begin("InternetGateway", "AWS::EC2::InternetGateway", "Routing for the shared VPC; the VPC itself belongs to the network team.")
	t.r("\n  GatewayAttachment:\n    Type: AWS::EC2::VPCGatewayAttachment\n    Properties:\n      VpcId: !Ref VpcId\n      InternetGatewayId: !Ref InternetGateway\n\n")
	t.r("  PublicRouteTable:\n    Type: AWS::EC2::RouteTable\n    Properties:\n      VpcId: !Ref VpcId\n\n")
	t.r("  PublicRoute:\n    Type: AWS::EC2::Route\n    DependsOn: GatewayAttachment\n    Properties:\n      RouteTableId: !Ref PublicRouteTable\n      DestinationCidrBlock: 0.0.0.0/0\n      GatewayId: !Ref InternetGateway\n\n")
}

func cfnNetwork(t *stack, rem int) int {
	if rem < 3 || t.once["network"] {
		return -1
	}
	t.once["network"] = true
	t.vpc = "Vpc"
	public := "false"
	if t.w.bad() {
		public = "true"
	}
	t.r(`  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: !Ref VpcCidr
      EnableDnsSupport: true
      EnableDnsHostnames: true
      Tags:
        - Key: Name
          Value: !Sub ${Project}-${Environment}

  InternetGateway:
    Type: AWS::EC2::InternetGateway

  GatewayAttachment:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties:
      VpcId: !Ref Vpc
      InternetGatewayId: !Ref InternetGateway

`)
	for i, az := range []string{"A", "B"} {
		t.r(`  Subnet%s:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: !Select [%d, !Cidr [!Ref VpcCidr, 4, 8]]
      AvailabilityZone: !Select [%d, !GetAZs ""]
      MapPublicIpOnLaunch: %s

`, az, i, i, public)
	}
	t.r(`  RouteTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc

  DefaultRoute:
    Type: AWS::EC2::Route
    DependsOn: GatewayAttachment
    Properties:
      RouteTableId: !Ref RouteTable
      DestinationCidrBlock: 0.0.0.0/0
      GatewayId: !Ref InternetGateway

  SubnetARoutes:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref SubnetA
      RouteTableId: !Ref RouteTable

  SubnetBRoutes:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref SubnetB
      RouteTableId: !Ref RouteTable

`)
	t.fs.count("aws_vpc", 1)
	t.fs.count("aws_subnet", 2)
	t.output("Vpc", "")
	return 3
}

// cfnFlowLogs writes the VPC flow log and its log group, created only when
// EnableFlowLogs is true.
func cfnFlowLogs(t *stack, rem int) int {
	if rem < 2 || t.once["flowlogs"] {
		return -1
	}
	t.once["flowlogs"] = true
	comment := ""
	if !t.flowLogs {
		comment = "Switched off to save on CloudWatch costs."
	}
	t.begin("FlowLogGroup", "AWS::Logs::LogGroup", comment)
	t.r("    Condition: CreateFlowLogs\n    Properties:\n      LogGroupName: !Sub /vpc/${Project}-${Environment}/flow-logs\n      RetentionInDays: !FindInMap [EnvironmentSettings, !Ref Environment, RetentionDays]\n\n")
	t.begin("FlowLog", "AWS::EC2::FlowLog", "")
	t.r("    Condition: CreateFlowLogs\n    Properties:\n      ResourceId: %s\n      ResourceType: VPC\n      TrafficType: ALL\n      LogGroupName: !Ref FlowLogGroup\n      DeliverLogsPermissionArn: !Sub arn:aws:iam::${AWS::AccountId}:role/flow-logs\n\n", t.vpcRef())
	if !t.flowLogs {
		return 0
	}
	t.fs.count("aws_cloudwatch_log_group", 1)
	t.fs.count("aws_flow_log", 1)
	return 2
}

func cfnSecurityGroup(t *stack, rem int) int {
	w := t.w
	id := t.id("SecurityGroup")
	t.begin(id, "AWS::EC2::SecurityGroup", "")
	t.r("    Properties:\n      GroupDescription: !Sub ${Project} %s tier\n      VpcId: %s\n      SecurityGroupIngress:\n", kebab(id), t.vpcRef())
	t.r("        - Description: HTTPS from the VPC\n          IpProtocol: tcp\n          FromPort: 443\n          ToPort: 443\n          CidrIp: !Ref VpcCidr\n")
	if w.bad() {
		port := w.pick("22", "3389", "5432", "6379")
		t.r("        - Description: Temporary access for the migration\n          IpProtocol: tcp\n          FromPort: %s\n          ToPort: %s\n          CidrIp: %s\n", port, port, w.pick("0.0.0.0/0", "!Ref AdminCidr"))
	}
	t.r("      SecurityGroupEgress:\n        - Description: HTTPS out\n          IpProtocol: tcp\n          FromPort: 443\n          ToPort: 443\n          CidrIp: 0.0.0.0/0\n")
	t.tags(id)
	t.r("\n")
	t.fs.count("aws_security_group", 1)
	n := 1
	if rem >= 2 && len(t.securityGroups) > 0 && w.chance(0.5) {
		t.begin(id+"FromPeer", "AWS::EC2::SecurityGroupIngress", "")
		t.r("    Properties:\n      GroupId: !GetAtt %s.GroupId\n      Description: App port from the peer tier\n      IpProtocol: tcp\n      FromPort: 8080\n      ToPort: 8080\n      SourceSecurityGroupId: !GetAtt %s.GroupId\n\n", id, t.anyOf(t.securityGroups))
		t.fs.count("aws_vpc_security_group_ingress_rule", 1)
		n++
	}
	t.securityGroups = append(t.securityGroups, id)
	return n
}

func cfnBucket(t *stack, rem int) int {
	w := t.w
	id := t.id("Bucket")
	pab := rem >= 2 && !w.bad()
	versioning := rem >= 2+b2i(pab) && w.chance(0.7)
	policy := rem >= 2+b2i(pab)+b2i(versioning) && w.chance(0.5)
	t.begin(id, "AWS::S3::Bucket", "")
	t.r("    DeletionPolicy: Retain\n    Properties:\n      BucketName: !Sub acme-${Project}-${Environment}-%s\n", kebab(id))
	if !w.bad() {
		t.r("      BucketEncryption:\n        ServerSideEncryptionConfiguration:\n          - ServerSideEncryptionByDefault:\n")
		if len(t.keys) > 0 {
			t.r("              SSEAlgorithm: aws:kms\n              KMSMasterKeyID: !GetAtt %s.Arn\n            BucketKeyEnabled: true\n", t.anyOf(t.keys))
		} else {
			t.r("              SSEAlgorithm: AES256\n")
		}
	}
	if pab {
		v := "true"
		if w.bad() {
			v = "false"
		}
		t.r("      PublicAccessBlockConfiguration:\n        BlockPublicAcls: %s\n        BlockPublicPolicy: %s\n        IgnorePublicAcls: %s\n        RestrictPublicBuckets: %s\n", v, v, v, v)
	}
	if versioning {
		t.r("      VersioningConfiguration:\n        Status: %s\n", w.pick("Enabled", "Enabled", "Suspended"))
	}
	if t.logBucket != "" {
		t.r("      LoggingConfiguration:\n        DestinationBucketName: !Ref %s\n        LogFilePrefix: s3/%s/\n", t.logBucket, kebab(id))
	}
	if w.chance(0.4) {
		t.r("      LifecycleConfiguration:\n        Rules:\n          - Id: expire-old-versions\n            Status: Enabled\n            NoncurrentVersionExpiration:\n              NoncurrentDays: !If [IsProduction, 90, 7]\n")
	}
	t.tags(id)
	t.r("\n")
	t.fs.count("aws_s3_bucket", 1)
	t.fs.count("aws_s3_bucket_public_access_block", b2i(pab))
	t.fs.count("aws_s3_bucket_versioning", b2i(versioning))
	if policy {
		t.begin(id+"Policy", "AWS::S3::BucketPolicy", "")
		t.r(`    Properties:
      Bucket: !Ref %[1]s
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Sid: DenyInsecureTransport
            Effect: Deny
            Principal: "*"
            Action: "s3:*"
            Resource:
              - !GetAtt %[1]s.Arn
              - !Sub ${%[1]s.Arn}/*
            Condition:
              Bool:
                aws:SecureTransport: "false"
`, id)
		if w.bad() {
			t.r("          - Sid: PublicRead\n            Effect: Allow\n            Principal: \"*\"\n            Action: s3:GetObject\n            Resource: !Sub ${%s.Arn}/*\n", id)
		}
		t.r("\n")
		t.fs.count("aws_s3_bucket_policy", 1)
	}
	if t.logBucket == "" {
		t.logBucket = id
	}
	t.buckets = append(t.buckets, id)
	t.output(id, "Arn")
	return 1 + b2i(pab) + b2i(versioning) + b2i(policy)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func cfnRole(t *stack, rem int) int {
	w := t.w
	id := t.id("Role")
	service := w.pick("ec2", "lambda", "ecs-tasks")
	t.begin(id, "AWS::IAM::Role", "")
	t.r("    Properties:\n      RoleName: %s\n      AssumeRolePolicyDocument:\n        Version: \"2012-10-17\"\n        Statement:\n          - Effect: Allow\n            Principal:\n", t.name(id))
	if w.bad() && w.bad() {
		t.r("              AWS: \"*\"\n")
	} else {
		t.r("              Service: %s.amazonaws.com\n", service)
	}
	t.r("            Action: sts:AssumeRole\n      ManagedPolicyArns:\n")
	if w.bad() {
		t.r("        - arn:aws:iam::aws:policy/AdministratorAccess\n")
	} else if service == "ec2" {
		t.r("        - arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore\n")
	} else {
		t.r("        - !Sub arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole\n")
	}
	t.r("      Policies:\n        - PolicyName: app\n          PolicyDocument:\n            Version: \"2012-10-17\"\n            Statement:\n")
	if len(t.buckets) > 0 {
		t.r("              - Sid: AppData\n                Effect: Allow\n                Action: [s3:GetObject, s3:PutObject]\n                Resource: !Sub ${%s.Arn}/*\n", t.anyOf(t.buckets))
	} else {
		t.r("              - Sid: AppData\n                Effect: Allow\n                Action: [s3:GetObject]\n                Resource: !Sub arn:aws:s3:::acme-${Project}-${Environment}-*/*\n")
	}
	if w.bad() {
		t.r("              - Sid: Everything\n                Effect: Allow\n                Action: \"*\"\n                Resource: \"*\"\n")
	}
	t.r("\n")
	if service == "ec2" {
		t.begin(id+"Profile", "AWS::IAM::InstanceProfile", "")
		t.r("    Properties:\n      Roles:\n        - !Ref %s\n\n", id)
		t.profiles = append(t.profiles, id+"Profile")
	}
	t.fs.count("aws_iam_role", 1)
	t.roles = append(t.roles, id)
	t.output(id, "Arn")
	return 1
}

func cfnManagedPolicy(t *stack, rem int) int {
	w := t.w
	id := t.id("Policy")
	users := rem >= 2 && len(t.users) > 0 && w.chance(0.6)
	t.begin(id, "AWS::IAM::ManagedPolicy", "")
	t.r("    Properties:\n      ManagedPolicyName: %s\n", t.name(id))
	if len(t.roles) > 0 {
		t.r("      Roles:\n        - !Ref %s\n", t.anyOf(t.roles))
	}
	if users {
		t.r("      Users:\n        - !Ref %s\n", t.anyOf(t.users))
	}
	t.r("      PolicyDocument:\n        Version: \"2012-10-17\"\n        Statement:\n")
	t.r("          - Sid: Deploy\n            Effect: Allow\n            Action:\n              - autoscaling:StartInstanceRefresh\n              - ec2:CreateLaunchTemplateVersion\n            Resource: \"*\"\n")
	if w.bad() {
		t.r("          - Sid: PassAnyRole\n            Effect: Allow\n            Action: iam:PassRole\n            Resource: \"*\"\n")
	} else if len(t.roles) > 0 {
		t.r("          - Sid: PassAppRole\n            Effect: Allow\n            Action: iam:PassRole\n            Resource: !GetAtt %s.Arn\n", t.anyOf(t.roles))
	}
	t.r("\n")
	t.fs.count("aws_iam_policy", 1)
	if users {
		t.fs.count("aws_iam_user_policy_attachment", 1)
		return 2
	}
	return 1
}

func cfnUser(t *stack, rem int) int {
	w := t.w
	id := t.id("User")
	left := rem - 1
	policies := min(left, w.rng.IntN(2))
	left -= policies
	managed := min(left, w.rng.IntN(3))
	left -= managed
	key := left > 0 && w.bad()
	t.begin(id, "AWS::IAM::User", "Kept for the jobs that cannot assume roles yet.")
	t.r("    Properties:\n      UserName: %s\n", t.name(id))
	if policies > 0 {
		t.r("      Policies:\n        - PolicyName: release\n          PolicyDocument:\n            Version: \"2012-10-17\"\n            Statement:\n              - Effect: Allow\n                Action: %s\n                Resource: \"*\"\n", w.pick("s3:*", "[s3:GetObject, s3:ListBucket]", "\"*\""))
	}
	if managed > 0 {
		t.r("      ManagedPolicyArns:\n")
		for i := range managed {
			t.r("        - %s\n", []string{"arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser"}[i])
		}
	}
	t.r("\n")
	t.fs.count("aws_iam_user", 1)
	t.fs.count("aws_iam_user_policy", policies)
	t.fs.count("aws_iam_user_policy_attachment", managed)
	if key {
		t.begin(id+"Key", "AWS::IAM::AccessKey", "")
		t.r("    Properties:\n      UserName: !Ref %s\n\n", id)
		t.fs.count("aws_iam_access_key", 1)
	}
	t.users = append(t.users, id)
	return 1 + policies + managed + b2i(key)
}

func cfnKey(t *stack, rem int) int {
	w := t.w
	id := t.id("Key")
	t.begin(id, "AWS::KMS::Key", "")
	t.r(`    Properties:
      Description: !Sub ${Project}-${Environment} %s
      EnableKeyRotation: %t
      PendingWindowInDays: !If [IsProduction, 30, 7]
      KeyPolicy:
        Version: "2012-10-17"
        Statement:
          - Sid: AccountAdmin
            Effect: Allow
            Principal:
              AWS: !Sub arn:aws:iam::${AWS::AccountId}:root
            Action: kms:*
            Resource: "*"
`, kebab(id), !w.bad())
	if len(t.roles) > 0 {
		t.r("          - Sid: AppUse\n            Effect: Allow\n            Principal:\n              AWS: !GetAtt %s.Arn\n            Action: [kms:Decrypt, kms:GenerateDataKey]\n            Resource: \"*\"\n", t.anyOf(t.roles))
	}
	t.r("\n")
	t.begin(id+"Alias", "AWS::KMS::Alias", "")
	t.r("    Properties:\n      AliasName: !Sub alias/${Project}-${Environment}-%s\n      TargetKeyId: !Ref %s\n\n", kebab(id), id)
	t.fs.count("aws_kms_key", 1)
	t.keys = append(t.keys, id)
	return 1
}

func cfnDatabase(t *stack, rem int) int {
	w := t.w
	id := t.id("Database")
	t.begin(id+"Subnets", "AWS::RDS::DBSubnetGroup", "")
	t.r("    Properties:\n      DBSubnetGroupDescription: !Sub ${Project}-${Environment} %s\n      SubnetIds: !Ref SubnetIds\n\n", kebab(id))
	engine := w.pick("postgres", "mysql")
	t.begin(id, "AWS::RDS::DBInstance", "")
	t.r("    DeletionPolicy: Snapshot\n    Properties:\n      DBInstanceIdentifier: %s\n      Engine: %s\n", t.name(id), engine)
	t.r("      DBInstanceClass: !FindInMap [EnvironmentSettings, !Ref Environment, DBInstanceClass]\n      AllocatedStorage: \"%d\"\n      DBSubnetGroupName: !Ref %sSubnets\n      MasterUsername: %sadmin\n", 20*(1+w.rng.IntN(10)), id, t.team[:min(len(t.team), 8)])
	if w.bad() {
		t.r("      MasterUserPassword: !Ref DBPassword\n")
	} else {
		t.r("      ManageMasterUserPassword: true\n")
	}
	enc := !w.bad()
	t.r("      StorageEncrypted: %t\n", enc)
	if enc && len(t.keys) > 0 {
		t.r("      KmsKeyId: !Ref %s\n", t.anyOf(t.keys))
	}
	t.r("      PubliclyAccessible: %t\n      BackupRetentionPeriod: !If [KeepBackups, 14, 1]\n      DeletionProtection: !If [IsProduction, true, false]\n", w.bad() && w.bad())
	if len(t.securityGroups) > 0 {
		t.r("      VPCSecurityGroups:\n        - !GetAtt %s.GroupId\n", t.anyOf(t.securityGroups))
	}
	t.r("\n")
	t.fs.count("aws_db_instance", 1)
	t.output(id, "Endpoint.Address")
	return 1
}

func cfnTable(t *stack, rem int) int {
	w := t.w
	id := t.id("Table")
	t.begin(id, "AWS::DynamoDB::Table", "")
	t.r("    Properties:\n      TableName: %s\n      BillingMode: PAY_PER_REQUEST\n      AttributeDefinitions:\n        - AttributeName: pk\n          AttributeType: S\n        - AttributeName: sk\n          AttributeType: S\n      KeySchema:\n        - AttributeName: pk\n          KeyType: HASH\n        - AttributeName: sk\n          KeyType: RANGE\n", t.name(id))
	if !w.bad() {
		t.r("      SSESpecification:\n        SSEEnabled: true\n")
		if len(t.keys) > 0 {
			t.r("        SSEType: KMS\n        KMSMasterKeyId: !Ref %s\n", t.anyOf(t.keys))
		}
	}
	t.r("      PointInTimeRecoverySpecification:\n        PointInTimeRecoveryEnabled: !If [IsProduction, true, %t]\n", !w.bad())
	t.tags(id)
	t.r("\n")
	t.fs.count("aws_dynamodb_table", 1)
	return 1
}

func cfnQueue(t *stack, rem int) int {
	w := t.w
	id := t.id("Queue")
	dlq := rem >= 2 && w.chance(0.5)
	if dlq {
		t.begin(id+"Dead", "AWS::SQS::Queue", "")
		t.r("    Properties:\n      QueueName: !Sub ${Project}-${Environment}-%s-dead\n      MessageRetentionPeriod: 1209600\n      SqsManagedSseEnabled: true\n\n", kebab(id))
		t.fs.count("aws_sqs_queue", 1)
	}
	t.begin(id, "AWS::SQS::Queue", "")
	t.r("    Properties:\n      QueueName: %s\n      VisibilityTimeout: %d\n", t.name(id), 30*(1+w.rng.IntN(10)))
	switch {
	case w.bad():
		t.r("      SqsManagedSseEnabled: false\n")
	case len(t.keys) > 0:
		t.r("      KmsMasterKeyId: !Ref %s\n", t.anyOf(t.keys))
	default:
		t.r("      KmsMasterKeyId: alias/aws/sqs\n")
	}
	if dlq {
		t.r("      RedrivePolicy:\n        deadLetterTargetArn: !GetAtt %sDead.Arn\n        maxReceiveCount: 5\n", id)
	}
	t.r("\n")
	t.fs.count("aws_sqs_queue", 1)
	return 1 + b2i(dlq)
}

func cfnTopic(t *stack, rem int) int {
	w := t.w
	id := t.id("Topic")
	t.begin(id, "AWS::SNS::Topic", "")
	t.r("    Properties:\n      TopicName: %s\n", t.name(id))
	if !w.bad() {
		if len(t.keys) > 0 {
			t.r("      KmsMasterKeyId: !Ref %s\n", t.anyOf(t.keys))
		} else {
			t.r("      KmsMasterKeyId: alias/aws/sns\n")
		}
	}
	t.r("\n")
	t.begin(id+"Email", "AWS::SNS::Subscription", "")
	t.r("    Condition: IsProduction\n    Properties:\n      TopicArn: !Ref %s\n      Protocol: email\n      Endpoint: !Sub ${Project}-oncall@acme.example\n\n", id)
	t.fs.count("aws_sns_topic", 1)
	return 1
}

func cfnLogGroup(t *stack, rem int) int {
	w := t.w
	id := t.id("Logs")
	t.begin(id, "AWS::Logs::LogGroup", "")
	t.r("    DeletionPolicy: Retain\n    Properties:\n      LogGroupName: !Sub /app/${Project}-${Environment}/%s\n", kebab(id))
	if !w.bad() {
		t.r("      RetentionInDays: !FindInMap [EnvironmentSettings, !Ref Environment, RetentionDays]\n")
		if len(t.keys) > 0 {
			t.r("      KmsKeyId: !GetAtt %s.Arn\n", t.anyOf(t.keys))
		}
	}
	t.r("\n")
	t.fs.count("aws_cloudwatch_log_group", 1)
	return 1
}

func cfnParameter(t *stack, rem int) int {
	w := t.w
	id := t.id("Setting")
	t.begin(id, "AWS::SSM::Parameter", "")
	if w.bad() {
		t.r("    Properties:\n      Name: !Sub /${Project}/${Environment}/%s/api_token\n      Type: String\n      Value: tok_%s\n\n", kebab(id), w.hex(24))
	} else {
		t.r("    Properties:\n      Name: !Sub /${Project}/${Environment}/%s/endpoint\n      Type: String\n      Description: Where the clients find the service.\n      Value: !Sub https://%s.${Environment}.acme.internal\n\n", kebab(id), kebab(id))
	}
	t.fs.count("aws_ssm_parameter", 1)
	return 1
}

func cfnRepository(t *stack, rem int) int {
	w := t.w
	id := t.id("Repository")
	t.begin(id, "AWS::ECR::Repository", "")
	mut, scan := "IMMUTABLE", "true"
	if w.bad() {
		mut = "MUTABLE"
	}
	if w.bad() {
		scan = "false"
	}
	t.r("    Properties:\n      RepositoryName: !Sub ${Project}/%s\n      ImageTagMutability: %s\n      ImageScanningConfiguration:\n        ScanOnPush: %s\n", kebab(id), mut, scan)
	if len(t.keys) > 0 && !w.bad() {
		t.r("      EncryptionConfiguration:\n        EncryptionType: KMS\n        KmsKey: !GetAtt %s.Arn\n", t.anyOf(t.keys))
	}
	t.r("\n")
	t.fs.count("aws_ecr_repository", 1)
	t.output(id, "RepositoryUri")
	return 1
}

func cfnCompute(t *stack, rem int) int {
	if rem < 2 {
		return -1
	}
	w := t.w
	id := t.id("Servers")
	tokens, encrypted := "required", "true"
	if w.bad() {
		tokens = "optional"
	}
	if w.bad() {
		encrypted = "false"
	}
	t.begin(id+"Template", "AWS::EC2::LaunchTemplate", "")
	t.r("    Properties:\n      LaunchTemplateName: %s\n      LaunchTemplateData:\n        ImageId: !Ref LatestAmi\n        InstanceType: !FindInMap [EnvironmentSettings, !Ref Environment, InstanceType]\n", t.name(id))
	if len(t.profiles) > 0 {
		t.r("        IamInstanceProfile:\n          Arn: !GetAtt %s.Arn\n", t.anyOf(t.profiles))
	}
	if len(t.securityGroups) > 0 {
		t.r("        SecurityGroupIds:\n          - !GetAtt %s.GroupId\n", t.anyOf(t.securityGroups))
	}
	t.r("        MetadataOptions:\n          HttpEndpoint: enabled\n          HttpTokens: %s\n", tokens)
	t.r("        BlockDeviceMappings:\n          - DeviceName: /dev/xvda\n            Ebs:\n              VolumeSize: %d\n              VolumeType: gp3\n              Encrypted: %s\n", 20+10*w.rng.IntN(5), encrypted)
	t.r("        UserData:\n          Fn::Base64: !Sub |\n            #!/bin/bash\n            set -euo pipefail\n")
	if w.bad() && w.bad() {
		t.r("            export AWS_ACCESS_KEY_ID=AKIA%s\n", strings.ToUpper(w.hex(16)))
	}
	t.r("            dnf install -y amazon-cloudwatch-agent\n            aws s3 cp s3://acme-${Project}-${Environment}-artifacts/%s.tar.gz /tmp/app.tar.gz\n            mkdir -p /opt/app && tar -xzf /tmp/app.tar.gz -C /opt/app\n            systemctl enable --now app\n\n", kebab(id))
	t.begin(id+"Group", "AWS::AutoScaling::AutoScalingGroup", "")
	t.r(`    Properties:
      AutoScalingGroupName: %s
      MinSize: !If [IsProduction, "2", "1"]
      MaxSize: "%d"
      VPCZoneIdentifier: !Ref SubnetIds
      HealthCheckType: ELB
      MaxInstanceLifetime: 604800
      LaunchTemplate:
        LaunchTemplateId: !Ref %sTemplate
        Version: !GetAtt %sTemplate.LatestVersionNumber
      Tags:
        - Key: Name
          Value: !Sub ${Project}-${Environment}-%s
          PropagateAtLaunch: true

`, t.name(id), 4+w.rng.IntN(8), id, id, kebab(id))
	t.fs.count("aws_launch_template", 1)
	t.fs.count("aws_autoscaling_group", 1)
	if rem < 4 || !w.chance(0.4) {
		return 2
	}
	t.begin(id+"Bastion", "AWS::EC2::Instance", "Operators run one-off fixes from here.")
	t.r("    Properties:\n      ImageId: !Ref LatestAmi\n      InstanceType: t3.micro\n      SubnetId: !Select [0, !Ref SubnetIds]\n")
	if len(t.securityGroups) > 0 {
		t.r("      SecurityGroupIds:\n        - !GetAtt %s.GroupId\n", t.anyOf(t.securityGroups))
	}
	t.r("      MetadataOptions:\n        HttpTokens: %s\n      BlockDeviceMappings:\n        - DeviceName: /dev/xvda\n          Ebs:\n            VolumeSize: 20\n            Encrypted: %s\n", tokens, encrypted)
	t.tags(id + "Bastion")
	t.r("\n")
	t.begin(id+"Scratch", "AWS::EC2::Volume", "")
	t.r("    Properties:\n      AvailabilityZone: !GetAtt %sBastion.AvailabilityZone\n      Size: %d\n      VolumeType: gp3\n      Encrypted: %t\n\n", id, 100*(1+w.rng.IntN(5)), !w.bad())
	t.fs.count("aws_instance", 1)
	t.fs.count("aws_ebs_volume", 1)
	return 4
}

func cfnLoadBalancer(t *stack, rem int) int {
	if rem < 2 {
		return -1
	}
	w := t.w
	id := t.id("LoadBalancer")
	t.begin(id, "AWS::ElasticLoadBalancingV2::LoadBalancer", "")
	t.r("    Properties:\n      Name: %s\n      Type: application\n      Scheme: %s\n      Subnets: !Ref SubnetIds\n", t.name(id), w.pick("internet-facing", "internal"))
	if len(t.securityGroups) > 0 {
		t.r("      SecurityGroups:\n        - !GetAtt %s.GroupId\n", t.anyOf(t.securityGroups))
	}
	t.r("      LoadBalancerAttributes:\n        - Key: routing.http.drop_invalid_header_fields.enabled\n          Value: \"%t\"\n", !w.bad())
	if len(t.buckets) > 0 {
		t.r("        - Key: access_logs.s3.enabled\n          Value: \"true\"\n        - Key: access_logs.s3.bucket\n          Value: !Ref %s\n", t.anyOf(t.buckets))
	}
	t.r("\n")
	t.begin(id+"Targets", "AWS::ElasticLoadBalancingV2::TargetGroup", "")
	t.r("    Properties:\n      Port: 8080\n      Protocol: HTTP\n      VpcId: %s\n      HealthCheckPath: /healthz\n\n", t.vpcRef())
	policy := "ELBSecurityPolicy-TLS13-1-2-2021-06"
	if w.bad() {
		policy = "ELBSecurityPolicy-2016-08"
	}
	t.begin(id+"Https", "AWS::ElasticLoadBalancingV2::Listener", "")
	t.r(`    Properties:
      LoadBalancerArn: !Ref %[1]s
      Port: 443
      Protocol: HTTPS
      SslPolicy: %[2]s
      Certificates:
        - CertificateArn: !Sub arn:aws:acm:${AWS::Region}:${AWS::AccountId}:certificate/%[3]s-%[4]s
      DefaultActions:
        - Type: forward
          TargetGroupArn: !Ref %[1]sTargets

`, id, policy, w.hex(8), w.hex(12))
	t.fs.count("aws_lb", 1)
	t.fs.count("aws_lb_listener", 1)
	if rem < 3 {
		return 2
	}
	t.fs.count("aws_lb_listener", 1)
	t.begin(id+"Http", "AWS::ElasticLoadBalancingV2::Listener", "")
	t.r("    Properties:\n      LoadBalancerArn: !Ref %s\n      Port: 80\n      Protocol: HTTP\n      DefaultActions:\n", id)
	if w.bad() {
		t.r("        - Type: forward\n          TargetGroupArn: !Ref %sTargets\n\n", id)
	} else {
		t.r("        - Type: redirect\n          RedirectConfig:\n            Protocol: HTTPS\n            Port: \"443\"\n            StatusCode: HTTP_301\n\n")
	}
	t.output(id, "DNSName")
	return 3
}

func cfnTrail(t *stack, rem int) int {
	if t.once["trail"] {
		return -1
	}
	t.once["trail"] = true
	w := t.w
	id := t.id("Trail")
	t.begin(id, "AWS::CloudTrail::Trail", "")
	t.r("    Properties:\n      TrailName: %s\n", t.name(id))
	if len(t.buckets) > 0 {
		t.r("      S3BucketName: !Ref %s\n", t.anyOf(t.buckets))
	} else {
		t.r("      S3BucketName: !Sub acme-${AWS::AccountId}-cloudtrail\n")
	}
	t.r("      IsLogging: %t\n      IsMultiRegionTrail: %t\n      IncludeGlobalServiceEvents: true\n      EnableLogFileValidation: %t\n", !w.bad(), !w.bad(), !w.bad())
	if len(t.keys) > 0 && !w.bad() {
		t.r("      KMSKeyId: !Ref %s\n", t.anyOf(t.keys))
	}
	t.r("\n")
	t.fs.count("aws_cloudtrail", 1)
	return 1
}

func cfnFunction(t *stack, rem int) int {
	w := t.w
	id := t.id("Function")
	t.begin(id, "AWS::Lambda::Function", "")
	t.r("    Properties:\n      FunctionName: %s\n      Runtime: python3.12\n      Handler: index.handler\n      Timeout: 30\n      MemorySize: %d\n", t.name(id), 128*(1+w.rng.IntN(8)))
	if len(t.roles) > 0 {
		t.r("      Role: !GetAtt %s.Arn\n", t.anyOf(t.roles))
	} else {
		t.r("      Role: !Sub arn:aws:iam::${AWS::AccountId}:role/${Project}-lambda\n")
	}
	t.r("      Environment:\n        Variables:\n          STAGE: !Ref Environment\n")
	if w.bad() {
		t.r("          API_KEY: %s\n", w.hex(32))
	}
	if len(t.keys) > 0 {
		t.r("      KmsKeyArn: !GetAtt %s.Arn\n", t.anyOf(t.keys))
	}
	t.r("      TracingConfig:\n        Mode: !If [IsProduction, Active, PassThrough]\n")
	t.r("      Code:\n        ZipFile: |\n          import json, os\n\n          def handler(event, context):\n              return {\"statusCode\": 200, \"body\": json.dumps({\"stage\": os.environ[\"STAGE\"]})}\n\n")
	t.fs.count("aws_lambda_function", 1)
	return 1
}

package cloudformation

import (
	"strconv"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"gopkg.in/yaml.v3"

	"github.com/fixity-sec/fixity/pkg/iac/model"
)

// adapters lists the CloudFormation types the AWS rules can check, with the
// Terraform vocabulary each maps to. Resources of other types are not part
// of the state; references to them are kept (see unmappedType).
var adapters = map[string]adapter{
	// Network.
	"AWS::EC2::SecurityGroup": {typ: "aws_security_group", spec: &spec{
		attrs: []attrSpec{prop("description", "GroupDescription"), prop("name", "GroupName"), prop("vpc_id", "VpcId")},
		blocks: []blockSpec{
			nested("ingress", "SecurityGroupIngress", sgRuleSpec("SourceSecurityGroupId", "SourcePrefixListId")),
			nested("egress", "SecurityGroupEgress", sgRuleSpec("DestinationSecurityGroupId", "DestinationPrefixListId")),
		},
	}},
	"AWS::EC2::SecurityGroupIngress": {typ: "aws_vpc_security_group_ingress_rule", spec: standaloneRuleSpec("SourceSecurityGroupId", "SourcePrefixListId")},
	"AWS::EC2::SecurityGroupEgress":  {typ: "aws_vpc_security_group_egress_rule", spec: standaloneRuleSpec("DestinationSecurityGroupId", "DestinationPrefixListId")},
	"AWS::EC2::Subnet": {typ: "aws_subnet", spec: &spec{attrs: []attrSpec{
		prop("vpc_id", "VpcId"), prop("cidr_block", "CidrBlock"), prop("map_public_ip_on_launch", "MapPublicIpOnLaunch"),
		prop("availability_zone", "AvailabilityZone"),
	}}},
	"AWS::EC2::VPC":     {typ: "aws_vpc", spec: &spec{attrs: []attrSpec{prop("cidr_block", "CidrBlock")}}},
	"AWS::EC2::FlowLog": {typ: "aws_flow_log", spec: flowLogSpec, extra: flowLogTarget},
	"AWS::ElasticLoadBalancingV2::LoadBalancer": {typ: "aws_lb", spec: &spec{attrs: []attrSpec{
		prop("name", "Name"), prop("load_balancer_type", "Type"), prop("subnets", "Subnets"), prop("security_groups", "SecurityGroups"),
	}}, extra: lbAttributes},
	"AWS::ElasticLoadBalancingV2::Listener": {typ: "aws_lb_listener", spec: &spec{
		attrs: []attrSpec{
			prop("load_balancer_arn", "LoadBalancerArn"), prop("port", "Port"), prop("protocol", "Protocol"),
			prop("ssl_policy", "SslPolicy"),
		},
		blocks: []blockSpec{nested("default_action", "DefaultActions", &spec{
			attrs: []attrSpec{prop("type", "Type"), prop("target_group_arn", "TargetGroupArn")},
			blocks: []blockSpec{nested("redirect", "RedirectConfig", &spec{attrs: []attrSpec{
				prop("protocol", "Protocol"), prop("port", "Port"), prop("host", "Host"), prop("path", "Path"),
				prop("status_code", "StatusCode"),
			}})},
		})},
	}},
	"AWS::EKS::Cluster": {typ: "aws_eks_cluster", spec: &spec{
		attrs: []attrSpec{prop("name", "Name"), prop("version", "Version"), prop("role_arn", "RoleArn")},
		blocks: []blockSpec{
			nested("vpc_config", "ResourcesVpcConfig", &spec{attrs: []attrSpec{
				prop("endpoint_public_access", "EndpointPublicAccess"), prop("endpoint_private_access", "EndpointPrivateAccess"),
				prop("public_access_cidrs", "PublicAccessCidrs"), prop("subnet_ids", "SubnetIds"),
				prop("security_group_ids", "SecurityGroupIds"),
			}}),
			nested("encryption_config", "EncryptionConfig", &spec{
				attrs:  []attrSpec{prop("resources", "Resources")},
				blocks: []blockSpec{nested("provider", "Provider", &spec{attrs: []attrSpec{prop("key_arn", "KeyArn")}})},
			}),
		},
	}, extra: eksLogging},

	// Compute.
	"AWS::EC2::Instance": {typ: "aws_instance", spec: &spec{
		attrs: []attrSpec{
			prop("ami", "ImageId"), prop("instance_type", "InstanceType"), prop("key_name", "KeyName"),
			prop("user_data_base64", "UserData"), prop("subnet_id", "SubnetId"),
			prop("iam_instance_profile", "IamInstanceProfile"), prop("vpc_security_group_ids", "SecurityGroupIds"),
			prop("security_groups", "SecurityGroups"),
		},
		blocks: []blockSpec{
			nested("launch_template", "LaunchTemplate", &spec{attrs: []attrSpec{
				prop("id", "LaunchTemplateId"), prop("name", "LaunchTemplateName"), prop("version", "Version"),
			}}),
			nested("metadata_options", "MetadataOptions", metadataSpec),
		},
	}, extra: func(c *conv, res *model.Resource, props *val) {
		blockDevices(c, res, props)
		instancePublicIP(c, res, props)
	}},
	"AWS::EC2::LaunchTemplate": {typ: "aws_launch_template", spec: &spec{
		attrs:   []attrSpec{prop("name", "LaunchTemplateName")},
		flatten: []blockSpec{nested("", "LaunchTemplateData", launchTemplateDataSpec)},
	}},
	"AWS::AutoScaling::LaunchConfiguration": {typ: "aws_launch_configuration", spec: &spec{
		attrs: []attrSpec{
			prop("name", "LaunchConfigurationName"), prop("image_id", "ImageId"), prop("instance_type", "InstanceType"),
			prop("key_name", "KeyName"), prop("user_data_base64", "UserData"),
			prop("associate_public_ip_address", "AssociatePublicIpAddress"),
			prop("iam_instance_profile", "IamInstanceProfile"), prop("security_groups", "SecurityGroups"),
		},
		blocks: []blockSpec{nested("metadata_options", "MetadataOptions", metadataSpec)},
	}, extra: blockDevices},
	"AWS::AutoScaling::AutoScalingGroup": {typ: "aws_autoscaling_group", spec: &spec{
		attrs: []attrSpec{
			prop("max_instance_lifetime", "MaxInstanceLifetime"), prop("min_size", "MinSize"), prop("max_size", "MaxSize"),
			prop("desired_capacity", "DesiredCapacity"), prop("launch_configuration", "LaunchConfigurationName"),
			prop("vpc_zone_identifier", "VPCZoneIdentifier"),
		},
		blocks: []blockSpec{
			nested("launch_template", "LaunchTemplate", &spec{attrs: []attrSpec{
				prop("id", "LaunchTemplateId"), prop("name", "LaunchTemplateName"), prop("version", "Version"),
			}}),
			nested("mixed_instances_policy", "MixedInstancesPolicy", &spec{}),
		},
	}},
	"AWS::EC2::Volume": {typ: "aws_ebs_volume", spec: &spec{attrs: []attrSpec{
		prop("encrypted", "Encrypted"), prop("kms_key_id", "KmsKeyId"), prop("snapshot_id", "SnapshotId"),
		prop("size", "Size"), prop("availability_zone", "AvailabilityZone"),
	}}},
	"AWS::EC2::KeyPair": {typ: "aws_key_pair", spec: &spec{attrs: []attrSpec{
		prop("key_name", "KeyName"), prop("public_key", "PublicKeyMaterial"),
	}}},
	"AWS::ECR::Repository": {typ: "aws_ecr_repository", spec: &spec{
		attrs: []attrSpec{prop("name", "RepositoryName"), prop("image_tag_mutability", "ImageTagMutability")},
		blocks: []blockSpec{
			nested("image_scanning_configuration", "ImageScanningConfiguration", &spec{attrs: []attrSpec{prop("scan_on_push", "ScanOnPush")}}),
			nested("encryption_configuration", "EncryptionConfiguration", &spec{attrs: []attrSpec{
				prop("encryption_type", "EncryptionType"), prop("kms_key", "KmsKey"),
			}}),
		},
	}},
	"AWS::Lambda::Function":     {typ: "aws_lambda_function", spec: lambdaSpec},
	"AWS::Serverless::Function": {typ: "aws_lambda_function", spec: lambdaSpec, extra: samPolicies},
	"AWS::SSM::Parameter": {typ: "aws_ssm_parameter", spec: &spec{attrs: []attrSpec{
		prop("name", "Name"), prop("type", "Type"), prop("value", "Value"), prop("description", "Description"),
	}}},

	// Storage.
	"AWS::S3::Bucket": {typ: "aws_s3_bucket", spec: &spec{
		attrs: []attrSpec{
			prop("bucket", "BucketName"), propConv("acl", "AccessControl", cannedACL),
			prop("object_lock_enabled", "ObjectLockEnabled"),
		},
		blocks: []blockSpec{
			nested("server_side_encryption_configuration", "BucketEncryption", &spec{blocks: []blockSpec{
				nested("rule", "ServerSideEncryptionConfiguration", &spec{
					attrs: []attrSpec{prop("bucket_key_enabled", "BucketKeyEnabled")},
					blocks: []blockSpec{nested("apply_server_side_encryption_by_default", "ServerSideEncryptionByDefault", &spec{
						attrs: []attrSpec{prop("sse_algorithm", "SSEAlgorithm"), prop("kms_master_key_id", "KMSMasterKeyID")},
					})},
				}),
			}}),
			nested("logging", "LoggingConfiguration", &spec{attrs: []attrSpec{
				prop("target_bucket", "DestinationBucketName"), prop("target_prefix", "LogFilePrefix"),
			}}),
		},
	}, extra: s3Companions},
	"AWS::S3::BucketPolicy": {typ: "aws_s3_bucket_policy", spec: &spec{attrs: []attrSpec{
		prop("bucket", "Bucket"), propPolicy("policy", "PolicyDocument"),
	}}},
	"AWS::RDS::DBInstance": {typ: "aws_db_instance", typeOf: func(props *yaml.Node) string {
		if propKey(props, "DBClusterIdentifier") {
			return "aws_rds_cluster_instance" // an Aurora member: storage belongs to the cluster
		}
		return "aws_db_instance"
	}, spec: &spec{attrs: []attrSpec{
		prop("identifier", "DBInstanceIdentifier"), prop("engine", "Engine"), prop("instance_class", "DBInstanceClass"),
		prop("storage_encrypted", "StorageEncrypted"), prop("kms_key_id", "KmsKeyId"),
		prop("publicly_accessible", "PubliclyAccessible"), prop("username", "MasterUsername"),
		prop("password", "MasterUserPassword"), prop("manage_master_user_password", "ManageMasterUserPassword"),
		prop("replicate_source_db", "SourceDBInstanceIdentifier"), prop("snapshot_identifier", "DBSnapshotIdentifier"),
		prop("cluster_identifier", "DBClusterIdentifier"), prop("deletion_protection", "DeletionProtection"),
		prop("backup_retention_period", "BackupRetentionPeriod"),
	}}},
	"AWS::RDS::DBCluster": {typ: "aws_rds_cluster", spec: &spec{attrs: []attrSpec{
		prop("cluster_identifier", "DBClusterIdentifier"), prop("engine", "Engine"), prop("engine_mode", "EngineMode"),
		prop("storage_encrypted", "StorageEncrypted"), prop("kms_key_id", "KmsKeyId"),
		prop("master_username", "MasterUsername"), prop("master_password", "MasterUserPassword"),
		prop("manage_master_user_password", "ManageMasterUserPassword"), prop("snapshot_identifier", "SnapshotIdentifier"),
		prop("deletion_protection", "DeletionProtection"), prop("backup_retention_period", "BackupRetentionPeriod"),
	}}},
	"AWS::EFS::FileSystem": {typ: "aws_efs_file_system", spec: &spec{attrs: []attrSpec{
		prop("encrypted", "Encrypted"), prop("kms_key_id", "KmsKeyId"),
	}}},
	"AWS::DynamoDB::Table":         {typ: "aws_dynamodb_table", spec: dynamoSpec},
	"AWS::DynamoDB::GlobalTable":   {typ: "aws_dynamodb_table", spec: dynamoSpec},
	"AWS::Serverless::SimpleTable": {typ: "aws_dynamodb_table", spec: dynamoSpec},
	"AWS::DAX::Cluster": {typ: "aws_dax_cluster", spec: &spec{
		attrs: []attrSpec{prop("cluster_name", "ClusterName")},
		blocks: []blockSpec{nested("server_side_encryption", "SSESpecification", &spec{attrs: []attrSpec{
			prop("enabled", "SSEEnabled"),
		}})},
	}},
	"AWS::SNS::Topic": {typ: "aws_sns_topic", spec: &spec{attrs: []attrSpec{
		prop("name", "TopicName"), prop("kms_master_key_id", "KmsMasterKeyId"),
	}}},
	"AWS::SQS::Queue": {typ: "aws_sqs_queue", spec: &spec{attrs: []attrSpec{
		prop("name", "QueueName"), prop("kms_master_key_id", "KmsMasterKeyId"),
		prop("sqs_managed_sse_enabled", "SqsManagedSseEnabled"),
	}}},

	// IAM.
	"AWS::IAM::Role": {typ: "aws_iam_role", spec: &spec{
		attrs: []attrSpec{
			prop("name", "RoleName"), propPolicy("assume_role_policy", "AssumeRolePolicyDocument"),
			prop("managed_policy_arns", "ManagedPolicyArns"), prop("permissions_boundary", "PermissionsBoundary"),
		},
		blocks: []blockSpec{nested("inline_policy", "Policies", inlinePolicySpec)},
	}},
	"AWS::IAM::User":  {typ: "aws_iam_user", spec: &spec{attrs: []attrSpec{prop("name", "UserName")}}, extra: principalPolicies("user")},
	"AWS::IAM::Group": {typ: "aws_iam_group", spec: &spec{attrs: []attrSpec{prop("name", "GroupName")}}, extra: principalPolicies("group")},
	"AWS::IAM::Policy": {typ: "aws_iam_role_policy", typeOf: iamPolicyType, spec: &spec{attrs: []attrSpec{
		prop("name", "PolicyName"), propPolicy("policy", "PolicyDocument"),
		prop("user", "Users"), prop("role", "Roles"), prop("group", "Groups"),
	}}, extra: settleIAMPolicyType},
	"AWS::IAM::ManagedPolicy": {typ: "aws_iam_policy", spec: &spec{attrs: []attrSpec{
		prop("name", "ManagedPolicyName"), propPolicy("policy", "PolicyDocument"),
	}}, extra: managedPolicyUsers},
	"AWS::IAM::UserPolicy": {typ: "aws_iam_user_policy", spec: &spec{attrs: []attrSpec{
		prop("user", "UserName"), prop("name", "PolicyName"), propPolicy("policy", "PolicyDocument"),
	}}},
	"AWS::IAM::RolePolicy": {typ: "aws_iam_role_policy", spec: &spec{attrs: []attrSpec{
		prop("role", "RoleName"), prop("name", "PolicyName"), propPolicy("policy", "PolicyDocument"),
	}}},
	"AWS::IAM::GroupPolicy": {typ: "aws_iam_group_policy", spec: &spec{attrs: []attrSpec{
		prop("group", "GroupName"), prop("name", "PolicyName"), propPolicy("policy", "PolicyDocument"),
	}}},
	"AWS::IAM::AccessKey": {typ: "aws_iam_access_key", spec: &spec{attrs: []attrSpec{
		prop("user", "UserName"), prop("status", "Status"),
	}}},
	"AWS::KMS::Key": {typ: "aws_kms_key", spec: &spec{attrs: []attrSpec{
		prop("description", "Description"), prop("enable_key_rotation", "EnableKeyRotation"),
		prop("key_usage", "KeyUsage"), prop("customer_master_key_spec", "KeySpec"), propPolicy("policy", "KeyPolicy"),
	}}},

	// Logging.
	"AWS::CloudTrail::Trail": {typ: "aws_cloudtrail", spec: &spec{attrs: []attrSpec{
		prop("name", "TrailName"), prop("enable_logging", "IsLogging"), prop("is_multi_region_trail", "IsMultiRegionTrail"),
		prop("enable_log_file_validation", "EnableLogFileValidation"), prop("kms_key_id", "KMSKeyId"),
		prop("include_global_service_events", "IncludeGlobalServiceEvents"), prop("s3_bucket_name", "S3BucketName"),
	}}},
	"AWS::Logs::LogGroup": {typ: "aws_cloudwatch_log_group", spec: &spec{attrs: []attrSpec{
		prop("name", "LogGroupName"), prop("kms_key_id", "KmsKeyId"), prop("retention_in_days", "RetentionInDays"),
	}}},
}

func sgRuleSpec(peerGroup, peerPrefixList string) *spec {
	return &spec{attrs: []attrSpec{
		prop("protocol", "IpProtocol"), prop("from_port", "FromPort"), prop("to_port", "ToPort"),
		propConv("cidr_blocks", "CidrIp", asList), propConv("ipv6_cidr_blocks", "CidrIpv6", asList),
		propConv("security_groups", peerGroup, asList), propConv("prefix_list_ids", peerPrefixList, asList),
		prop("description", "Description"),
	}}
}

func standaloneRuleSpec(peerGroup, peerPrefixList string) *spec {
	return &spec{attrs: []attrSpec{
		prop("security_group_id", "GroupId"), prop("ip_protocol", "IpProtocol"),
		prop("from_port", "FromPort"), prop("to_port", "ToPort"),
		prop("cidr_ipv4", "CidrIp"), prop("cidr_ipv6", "CidrIpv6"),
		prop("referenced_security_group_id", peerGroup), prop("prefix_list_id", peerPrefixList),
		prop("description", "Description"),
	}}
}

var metadataSpec = &spec{attrs: []attrSpec{
	prop("http_tokens", "HttpTokens"), prop("http_endpoint", "HttpEndpoint"),
	prop("http_put_response_hop_limit", "HttpPutResponseHopLimit"), prop("instance_metadata_tags", "InstanceMetadataTags"),
}}

var ebsSpec = &spec{attrs: []attrSpec{
	prop("encrypted", "Encrypted"), prop("kms_key_id", "KmsKeyId"), prop("snapshot_id", "SnapshotId"),
	prop("volume_size", "VolumeSize"), prop("volume_type", "VolumeType"), prop("delete_on_termination", "DeleteOnTermination"),
}}

var launchTemplateDataSpec = &spec{
	attrs: []attrSpec{
		prop("image_id", "ImageId"), prop("instance_type", "InstanceType"), prop("key_name", "KeyName"),
		prop("user_data", "UserData"), prop("vpc_security_group_ids", "SecurityGroupIds"),
	},
	blocks: []blockSpec{
		nested("metadata_options", "MetadataOptions", metadataSpec),
		nested("network_interfaces", "NetworkInterfaces", &spec{attrs: []attrSpec{
			prop("associate_public_ip_address", "AssociatePublicIpAddress"), prop("device_index", "DeviceIndex"),
			prop("subnet_id", "SubnetId"), prop("security_groups", "Groups"),
		}}),
		nested("block_device_mappings", "BlockDeviceMappings", &spec{
			attrs:  []attrSpec{prop("device_name", "DeviceName"), prop("no_device", "NoDevice"), prop("virtual_name", "VirtualName")},
			blocks: []blockSpec{nested("ebs", "Ebs", ebsSpec)},
		}),
		nested("iam_instance_profile", "IamInstanceProfile", &spec{attrs: []attrSpec{prop("arn", "Arn"), prop("name", "Name")}}),
	},
}

var lambdaSpec = &spec{
	attrs: []attrSpec{
		prop("function_name", "FunctionName"), prop("runtime", "Runtime"), prop("handler", "Handler"), prop("role", "Role"),
	},
	blocks: []blockSpec{nested("environment", "Environment", &spec{attrs: []attrSpec{prop("variables", "Variables")}})},
}

var dynamoSpec = &spec{
	attrs: []attrSpec{prop("name", "TableName")},
	blocks: []blockSpec{nested("server_side_encryption", "SSESpecification", &spec{attrs: []attrSpec{
		prop("enabled", "SSEEnabled"), prop("kms_key_arn", "KMSMasterKeyId"),
	}})},
}

var inlinePolicySpec = &spec{attrs: []attrSpec{prop("name", "PolicyName"), propPolicy("policy", "PolicyDocument")}}

var flowLogSpec = &spec{attrs: []attrSpec{
	prop("traffic_type", "TrafficType"), prop("log_destination", "LogDestination"),
	prop("log_destination_type", "LogDestinationType"), prop("log_group_name", "LogGroupName"),
	prop("iam_role_arn", "DeliverLogsPermissionArn"),
}}

// rootDevices are the device names AMIs use for the root volume.
var rootDevices = map[string]bool{"/dev/xvda": true, "/dev/sda1": true, "/dev/sda": true, "xvda": true, "sda1": true}

// blockDevices maps the BlockDeviceMappings of an instance or launch
// configuration to Terraform's root_block_device and ebs_block_device. A
// mapping whose device name is not known might be the root one and is
// taken as such.
func blockDevices(c *conv, res *model.Resource, props *val) {
	unknownRoot := func(r model.Range, refs []string) {
		blk := newBlock("root_block_device", r)
		c.fillUnknown(blk, r, refs, ebsSpec)
		res.Body.Blocks = append(res.Body.Blocks, blk)
	}
	if props.unknown() {
		unknownRoot(c.valRange(props), props.allRefs())
		return
	}
	f, ok := props.field("BlockDeviceMappings")
	if !ok {
		return
	}
	if f.val.unknown() {
		unknownRoot(c.fieldRange(f), f.val.allRefs())
		return
	}
	for _, el := range f.val.elems {
		if el.unknown() {
			unknownRoot(c.valRange(el), el.allRefs())
			continue
		}
		ebs, ok := el.field("Ebs")
		if !ok {
			continue // an instance store volume, or NoDevice
		}
		typ := "ebs_block_device"
		if dev, known := el.get("DeviceName").str(); !known || rootDevices[dev] {
			typ = "root_block_device"
		}
		blk := newBlock(typ, c.valRange(el))
		if dn, ok := el.field("DeviceName"); ok {
			c.setAttr(blk, prop("device_name", "DeviceName"), dn)
		}
		if ebs.val.unknown() {
			c.fillUnknown(blk, c.fieldRange(ebs), ebs.val.allRefs(), ebsSpec)
		} else {
			c.fill(blk, ebs.val, ebsSpec)
		}
		res.Body.Blocks = append(res.Body.Blocks, blk)
	}
}

// instancePublicIP takes associate_public_ip_address from an instance's
// network interfaces, where CloudFormation sets it.
func instancePublicIP(c *conv, res *model.Resource, props *val) {
	f, ok := props.field("NetworkInterfaces")
	if !ok {
		return
	}
	if f.val.unknown() {
		set(res.Body, "associate_public_ip_address", unknownVal(f.val.allRefs()...), c.fieldRange(f))
		return
	}
	for _, el := range f.val.elems {
		if el.unknown() {
			set(res.Body, "associate_public_ip_address", unknownVal(el.allRefs()...), c.valRange(el))
			continue
		}
		if pf, ok := el.field("AssociatePublicIpAddress"); ok {
			a := c.setAttr(res.Body, prop("associate_public_ip_address", "AssociatePublicIpAddress"), pf)
			if v, ok := a.Bool(); ok && v {
				return // the interface that makes the instance public
			}
		}
	}
}

// flowLogTarget names the flow log's resource by its kind: vpc_id for a
// VPC, subnet_id for a subnet. When the kind is unknown it is taken as a
// VPC, so that a VPC it refers to counts as logged.
func flowLogTarget(c *conv, res *model.Resource, props *val) {
	if props.unknown() {
		set(res.Body, "vpc_id", unknownVal(props.allRefs()...), c.valRange(props))
		return
	}
	f, ok := props.field("ResourceId")
	if !ok {
		return
	}
	name := "vpc_id"
	if kind, ok := props.get("ResourceType").str(); ok {
		switch strings.ToLower(kind) {
		case "vpc":
		case "subnet":
			name = "subnet_id"
		case "networkinterface":
			name = "eni_id"
		case "transitgateway":
			name = "transit_gateway_id"
		case "transitgatewayattachment":
			name = "transit_gateway_attachment_id"
		default:
			name = "resource_id"
		}
	}
	c.setAttr(res.Body, prop(name, "ResourceId"), f)
}

const dropInvalidHeaders = "routing.http.drop_invalid_header_fields.enabled"

// lbAttributes reads drop_invalid_header_fields from the load balancer's
// key/value attribute list.
func lbAttributes(c *conv, res *model.Resource, props *val) {
	if props.unknown() {
		set(res.Body, "drop_invalid_header_fields", unknownVal(props.allRefs()...), c.valRange(props))
		return
	}
	f, ok := props.field("LoadBalancerAttributes")
	if !ok {
		return
	}
	if f.val.unknown() {
		set(res.Body, "drop_invalid_header_fields", unknownVal(f.val.allRefs()...), c.fieldRange(f))
		return
	}
	for _, el := range f.val.elems {
		k, ok := el.get("Key").str()
		switch {
		case !ok:
			// It might be the key: what it says is unknown.
			if res.Attr("drop_invalid_header_fields") == nil {
				set(res.Body, "drop_invalid_header_fields", unknownVal(el.allRefs()...), c.valRange(el))
			}
		case k == dropInvalidHeaders:
			if vf, ok := el.field("Value"); ok {
				c.setAttr(res.Body, prop("drop_invalid_header_fields", "Value"), vf)
			}
		}
	}
}

// eksLogging reads enabled_cluster_log_types from Logging.ClusterLogging.
// EnabledTypes, a list of {Type: audit} objects.
func eksLogging(c *conv, res *model.Resource, props *val) {
	const name = "enabled_cluster_log_types"
	if props.unknown() {
		set(res.Body, name, unknownVal(props.allRefs()...), c.valRange(props))
		return
	}
	lf, ok := props.field("Logging")
	if !ok {
		return
	}
	cl := lf.val.get("ClusterLogging")
	if lf.val.unknown() || cl.unknown() {
		set(res.Body, name, unknownVal(lf.val.allRefs()...), c.fieldRange(lf))
		return
	}
	tf, ok := cl.field("EnabledTypes")
	if !ok {
		set(res.Body, name, scalarVal(cty.EmptyTupleVal), c.fieldRange(lf))
		return
	}
	if tf.val.unknown() {
		set(res.Body, name, tf.val, c.fieldRange(tf))
		return
	}
	var types []cty.Value
	known := true
	for _, el := range tf.val.elems {
		t := el.get("Type")
		if t == nil || t.kind != kindScalar || !t.v.IsKnown() {
			known = false
			continue
		}
		types = append(types, t.v)
	}
	v := cty.EmptyTupleVal
	switch {
	case !known:
		v = cty.DynamicVal
	case len(types) > 0:
		v = cty.TupleVal(types)
	}
	res.Body.Attrs[name] = &model.Attribute{Name: name, Value: v, Range: c.fieldRange(tf), Refs: tf.val.allRefs()}
}

// s3Companions makes the S3 settings Terraform keeps in their own
// resources: the public access block and versioning. Each refers to the
// bucket as Terraform's bucket = aws_s3_bucket.x.id would.
func s3Companions(c *conv, res *model.Resource, props *val) {
	companion := func(typ, prop string, sp *spec) {
		f, ok := props.field(prop)
		r := c.valRange(props)
		switch {
		case ok:
			r = c.fieldRange(f)
		case !props.unknown():
			return
		}
		comp := c.newResource(typ, "", c.label()+" "+prop, r)
		comp.Body.Attrs["bucket"] = &model.Attribute{
			Name: "bucket", Value: cty.UnknownVal(cty.String), Range: r, Refs: []string{res.BaseAddress()},
		}
		c.fill(comp.Body, props, sp)
	}
	companion("aws_s3_bucket_public_access_block", "PublicAccessBlockConfiguration", &spec{
		flatten: []blockSpec{nested("", "PublicAccessBlockConfiguration", &spec{attrs: []attrSpec{
			prop("block_public_acls", "BlockPublicAcls"), prop("block_public_policy", "BlockPublicPolicy"),
			prop("ignore_public_acls", "IgnorePublicAcls"), prop("restrict_public_buckets", "RestrictPublicBuckets"),
		}})},
	})
	companion("aws_s3_bucket_versioning", "VersioningConfiguration", &spec{
		blocks: []blockSpec{nested("versioning_configuration", "VersioningConfiguration", &spec{attrs: []attrSpec{
			prop("status", "Status"),
		}})},
	})
}

// iamPolicyType: an AWS::IAM::Policy is Terraform's user, group or role
// policy by what it is attached to; attached to users it is a user policy,
// which is what FX-AWS-064 looks for.
func iamPolicyType(props *yaml.Node) string {
	switch {
	case propKey(props, "Users"):
		return "aws_iam_user_policy"
	case propKey(props, "Roles"):
		return "aws_iam_role_policy"
	case propKey(props, "Groups"):
		return "aws_iam_group_policy"
	}
	return "aws_iam_role_policy"
}

// settleIAMPolicyType corrects the type when Users turned out to be
// removed (Fn::If with AWS::NoValue).
func settleIAMPolicyType(c *conv, res *model.Resource, props *val) {
	if res.Type != "aws_iam_user_policy" || res.Attr("user") != nil || props.unknown() {
		return
	}
	res.Type = "aws_iam_role_policy"
	if res.Attr("group") != nil && res.Attr("role") == nil {
		res.Type = "aws_iam_group_policy"
	}
}

// managedPolicyUsers makes the attachment of a managed policy to users.
func managedPolicyUsers(c *conv, res *model.Resource, props *val) {
	f, ok := props.field("Users")
	if !ok {
		return
	}
	r := c.fieldRange(f)
	att := c.newResource("aws_iam_user_policy_attachment", "", c.label()+" Users", r)
	c.setAttr(att.Body, prop("user", "Users"), f)
	att.Body.Attrs["policy_arn"] = &model.Attribute{
		Name: "policy_arn", Value: cty.UnknownVal(cty.String), Range: r, Refs: []string{res.BaseAddress()},
	}
}

// principalPolicies makes the inline policies and managed policy
// attachments of an IAM user or group, which Terraform writes as
// aws_iam_<kind>_policy and aws_iam_<kind>_policy_attachment resources.
func principalPolicies(kind string) func(c *conv, res *model.Resource, props *val) {
	return func(c *conv, res *model.Resource, props *val) {
		owner := func(r model.Range) *model.Attribute {
			return &model.Attribute{Name: kind, Value: cty.UnknownVal(cty.String), Range: r, Refs: []string{res.BaseAddress()}}
		}
		if f, ok := props.field("Policies"); ok && f.val.kind == kindList {
			for i, el := range f.val.elems {
				r := c.valRange(el)
				p := c.newResource("aws_iam_"+kind+"_policy", key(i), c.label()+" Policies["+strconv.Itoa(i)+"]", r)
				p.Body.Attrs[kind] = owner(r)
				c.fill(p.Body, el, inlinePolicySpec)
			}
		}
		if f, ok := props.field("ManagedPolicyArns"); ok && f.val.kind == kindList {
			for i, el := range f.val.elems {
				r := c.valRange(el)
				p := c.newResource("aws_iam_"+kind+"_policy_attachment", key(i), c.label()+" ManagedPolicyArns["+strconv.Itoa(i)+"]", r)
				p.Body.Attrs[kind] = owner(r)
				set(p.Body, "policy_arn", el, r)
			}
		}
	}
}

// samPolicies makes the execution role SAM creates for a function from its
// Policies: AWS managed policy names or ARNs, and inline policy documents.
// SAM policy templates ({S3ReadPolicy: ...}) are not expanded.
func samPolicies(c *conv, res *model.Resource, props *val) {
	f, ok := props.field("Policies")
	if !ok || f.val.kind == kindNoValue {
		return
	}
	items := []*val{f.val}
	if f.val.kind == kindList {
		items = f.val.elems
	}
	r := c.fieldRange(f)
	role := &model.Resource{
		Mode: model.Managed, Type: "aws_iam_role", Name: c.d.id + "Role", Range: r,
		Body:   &model.Block{Range: r, Attrs: map[string]*model.Attribute{}},
		Format: "cloudformation", Label: c.label() + " Policies", Root: c.t.rel,
	}
	var arns []cty.Value
	var refs []string
	for _, el := range items {
		switch {
		case el.unknown():
			arns = append(arns, el.v)
			refs = append(refs, el.allRefs()...)
		case el.kind == kindScalar:
			s, ok := el.str()
			if !ok {
				continue
			}
			if !strings.HasPrefix(s, "arn:") {
				s = "arn:aws:iam::aws:policy/" + s
			}
			arns = append(arns, cty.StringVal(s))
			refs = append(refs, el.refs...)
		case el.kind == kindObject && el.get("Statement") != nil:
			er := c.valRange(el)
			blk := newBlock("inline_policy", er)
			pa := &model.Attribute{Name: "policy", Range: er, Refs: el.allRefs()}
			pa.Value, pa.Decoded = policyValue(el)
			blk.Attrs["policy"] = pa
			role.Body.Blocks = append(role.Body.Blocks, blk)
		}
	}
	if len(arns) > 0 {
		role.Body.Attrs["managed_policy_arns"] = &model.Attribute{
			Name: "managed_policy_arns", Value: cty.TupleVal(arns), Range: r, Refs: refs,
		}
	}
	if len(arns) > 0 || len(role.Body.Blocks) > 0 {
		c.out = append(c.out, role)
	}
}

func key(i int) string { return "[" + strconv.Itoa(i) + "]" }

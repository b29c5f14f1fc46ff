package secrets

import (
	"strconv"
	"strings"
	"testing"
)

// Credential-shaped test values are assembled at run time so that this file
// itself never looks like it leaks one.
var (
	fakeAKIA   = "AKIA" + "Z7QXRB4MNT2PLWUD"
	fakeASIA   = "ASIA" + "Q2WERTY7UIOPASDF"
	fakeSecret = "q8Xz" + strings.Repeat("Ab3/", 9)
	fakeGHP    = "ghp" + "_" + strings.Repeat("aB3d", 9)
	fakeGHO    = "gho" + "_" + strings.Repeat("Zx9Q", 9)
	fakePAT    = "github" + "_pat_" + "11ABCDEFG0" + strings.Repeat("xY7_", 12)
	fakeSlack  = "xox" + "b-1234567890-0987654321-" + strings.Repeat("Ab1", 8)
	fakeStripe = "sk" + "_live_" + strings.Repeat("4eC39HqLyjWD", 2)
	pemHeader  = "-----BEGIN " + "RSA PRIVATE KEY-----"
	pemOpenSSH = "-----BEGIN " + "OPENSSH PRIVATE KEY-----"
)

func TestFindSecrets(t *testing.T) {
	tests := []struct {
		name string
		text string
		// want lists "line:kind" for every match, in order.
		want []string
	}{
		{"aws access key id", "export AWS_ACCESS_KEY_ID=" + fakeAKIA, []string{"1:AWS access key ID"}},
		{"aws session key id", "id: " + fakeASIA, []string{"1:AWS access key ID"}},
		{"aws documented example key", "export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", nil},
		{"aws secret key, shell", "#!/bin/sh\nexport AWS_SECRET_ACCESS_KEY=" + fakeSecret, []string{"2:AWS secret access key assigned to AWS_SECRET_ACCESS_KEY"}},
		{"aws secret key, credentials file", "[default]\naws_secret_access_key = " + fakeSecret, []string{"2:AWS secret access key assigned to aws_secret_access_key"}},
		{"aws documented example secret", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", nil},
		{"rsa private key", "cat > /root/key <<EOF\n" + pemHeader + "\nMIIE\nEOF", []string{"2:private key"}},
		{"openssh private key", pemOpenSSH, []string{"1:private key"}},
		{"public key is fine", "-----BEGIN PUBLIC KEY-----", nil},
		{"github classic token", "git clone https://x:" + fakeGHP + "@github.com/o/r", []string{"1:GitHub token"}},
		{"github oauth token", "GH=" + fakeGHO, []string{"1:GitHub token"}},
		{"github fine-grained token", "token " + fakePAT, []string{"1:GitHub token"}},
		{"slack token", `curl -H "Authorization: Bearer ` + fakeSlack + `"`, []string{"1:Slack token"}},
		{"slack webhook", "NOTIFY_URL=https://hooks.slack" + ".com/services/T0ABCDEF1/B0ABCDEF2/" + strings.Repeat("aB3", 8), []string{"1:Slack webhook URL"}},
		{"slack docs", "see https://hooks.slack.com/services/ for webhooks", nil},
		{"stripe live key", "STRIPE=" + fakeStripe, []string{"1:Stripe live key"}},
		{"stripe test key is fine", "STRIPE=sk_test_" + strings.Repeat("4eC39HqLyjWD", 2), nil},
		{"token in an assignment counts once", "GITHUB_TOKEN=" + fakeGHP, []string{"1:GitHub token"}},
		{"password shell", "DB_PASSWORD=hunter2", []string{"1:literal value assigned to DB_PASSWORD"}},
		{"password export quoted", `export API_TOKEN="abc123def"`, []string{"1:literal value assigned to API_TOKEN"}},
		{"password flag", "mysql --password=s3cr3t -u root", []string{"1:literal value assigned to password"}},
		{"password yaml", "users:\n  - name: app\n    passwd: hunter2", []string{"3:literal value assigned to passwd"}},
		{"password yaml quoted", `password: "correct horse battery"`, []string{"1:literal value assigned to password"}},
		{"password json", `{"user": "app", "password": "hunter2"}`, []string{"1:literal value assigned to password"}},
		{"password ini", "[client]\npassword = hunter2", []string{"2:literal value assigned to password"}},
		{"secret hcl", `client_secret = "d3adb33f"`, []string{"1:literal value assigned to client_secret"}},
		{"query string token", "curl https://hooks.example.net/x?token=abc123&x=1", []string{"1:literal value assigned to token"}},
		{"changeme is a real password", "ADMIN_PASSWORD=changeme", []string{"1:literal value assigned to ADMIN_PASSWORD"}},
		{"url credentials", "DATABASE_URL=postgres://app:hunter2@db:5432/app", []string{"1:password in a URL"}},
		{"two on one line", "DB_PASSWORD=a1b2 API_KEY=c3d4", []string{"1:literal value assigned to DB_PASSWORD", "1:literal value assigned to API_KEY"}},

		// References, placeholders and prose must not match.
		{"ssm lookup", `password=$(aws ssm get-parameter --name /app/db --with-decryption --query Parameter.Value --output text)`, nil},
		{"ssm lookup quoted", `DB_PASSWORD="$(aws secretsmanager get-secret-value --secret-id db --query SecretString --output text)"`, nil},
		{"shell variable", `password="$DB_PASSWORD"`, nil},
		{"terraform interpolation", `password = "${var.x}"`, nil},
		{"terraform reference", `password = var.db_password`, nil},
		{"template", `password: "{{ vault_db_password }}"`, nil},
		{"cloudformation dynamic reference", `password={{resolve:secretsmanager:db:SecretString:password}}`, nil},
		{"empty", "DB_PASSWORD=", nil},
		{"empty quoted", `DB_PASSWORD=""`, nil},
		{"angle placeholder", "password=<your password>", nil},
		{"masked", "password=********", nil},
		{"example", "API_KEY=example-key", nil},
		{"ssm path", "DB_PASSWORD=/prod/db/password", nil},
		{"arn", "DB_PASSWORD=arn:aws:secretsmanager:eu-west-1:123456789012:secret:db", nil},
		{"format verb", `token=%s`, nil},
		{"comparison", `if [ "$token" == "abc" ]; then`, nil},
		{"name about a secret", "DB_PASSWORD_ARN=abc123\nTOKEN_TTL=3600\nSECRET_NAME=prod-db", nil},
		{"not a secret name", "BYPASS_CACHE=1\nTOKENIZER=bert\nS3_KEY=uploads/a.txt", nil},
		{"prose", "# Set the password= option to your own value.\nPassword: see the runbook for details", nil},
		{"prose with colon", "echo the secret: is kept in SSM", nil},
		{"url without password", "https://user@example.com/x and postgres://app:${var.pw}@db/app", nil},
		{"boolean", "require_password: true", nil},

		// Template text: "\x00" is a part known only after apply.
		{"key beside an unknown part", "aws configure set region \x00\nexport AWS_ACCESS_KEY_ID=" + fakeAKIA + " # \x00", []string{"2:AWS access key ID"}},
		{"key touching an unknown part", "id=\x00" + fakeAKIA + "\x00", []string{"1:AWS access key ID"}},
		{"secret beside an unknown assignment", "REGION=\x00 DB_PASSWORD=hunter2", []string{"1:literal value assigned to DB_PASSWORD"}},
		{"unknown key, literal value", "{\"\x00_password\": \"hunter2\"}", []string{"1:literal value assigned to ${...}_password"}},
		{"unknown value", "DB_PASSWORD=\x00", nil},
		{"unknown value quoted", "DB_PASSWORD=\"\x00\"", nil},
		{"unknown value yaml", "password: \x00", nil},
		{"partly unknown value", "DB_PASSWORD=\x00-suffix\nAPI_TOKEN=prefix-\x00", nil},
		{"unknown url password", "DATABASE_URL=postgres://app:\x00@db:5432/app", nil},
		{"unknown url user", "DATABASE_URL=postgres://\x00:hunter2@db:5432/app", []string{"1:password in a URL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, m := range Find(tt.text) {
				got = append(got, strconv.Itoa(m.Line)+":"+m.Kind)
				if tt.text != "" && m.Hint != "" && strings.Contains(m.Hint, "hunter2") {
					t.Errorf("hint %q leaks the secret", m.Hint)
				}
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("Find(%q)\n got %q\nwant %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestFindSecretsHintIsRedacted(t *testing.T) {
	ms := Find("KEY=" + fakeAKIA)
	if len(ms) != 1 {
		t.Fatalf("got %d matches, want 1", len(ms))
	}
	if want := "AKIA" + strings.Repeat("*", 16); ms[0].Hint != want {
		t.Errorf("hint = %q, want %q", ms[0].Hint, want)
	}
	if got := ms[0].Describe(); got != "AWS access key ID on line 1 (AKIA****************)" {
		t.Errorf("describe = %q", got)
	}
}

// Messages never carry the NUL bytes that stand for unknown parts.
func TestFindSecretsUnknownPartsShown(t *testing.T) {
	ms := Find("DATABASE_URL=postgres://\x00:hunter2@db/app")
	if len(ms) != 1 {
		t.Fatalf("got %d matches, want 1", len(ms))
	}
	if got := ms[0].Describe(); got != "password in a URL on line 1 (postgres://${...}:****@)" {
		t.Errorf("describe = %q", got)
	}
}

func TestSecretName(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"DB_PASSWORD", true},
		{"db_password", true},
		{"dbPassword", true},
		{"API_TOKEN", true},
		{"SECRET_KEY", true},
		{"api-key", true},
		{"APIKey", true},
		{"apikey", true},
		{"GITHUB_TOKEN", true},
		{"CLIENT_SECRET", true},
		{"clientsecret", true},
		{"AWS_SECRET_ACCESS_KEY", true},
		{"spring.datasource.password", true},
		{"MYSQL_PASS", true},
		{"PRIVATE_KEY", true},
		{"passphrase", true},
		{"GOOGLE_CREDENTIALS", true},
		{"password", true},

		{"DB_PASSWORD_ARN", false},
		{"SECRET_NAME", false},
		{"TOKEN_TTL", false},
		{"PASSWORD_LENGTH", false},
		{"AWS_ACCESS_KEY_ID", false},
		{"KMS_KEY_ID", false},
		{"S3_KEY", false},
		{"BYPASS", false},
		{"TOKENIZER", false},
		{"SECRETARY", false},
		{"TOKEN_URL", false},
		{"password_hash", false},
		{"DB_HOST", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := IsSecretName(tt.name); got != tt.want {
			t.Errorf("IsSecretName(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestLiteralSecretValue(t *testing.T) {
	tests := []struct {
		v    string
		want bool
	}{
		{"hunter2", true},
		{"changeme", true},
		{"s3cr3t!", true},
		{"", false},
		{"   ", false},
		{"${var.x}", false},
		{"pre-${var.x}", false},
		{"$(aws ssm get-parameter)", false},
		{"$DB_PASSWORD", false},
		{"{{resolve:ssm-secure:/db}}", false},
		{"%{ if x }y%{ endif }", false},
		{"var.db_password", false},
		{"<password>", false},
		{"xxxxxxxx", false},
		{"true", false},
		{"null", false},
		{"your-token-here", false},
		{"arn:aws:ssm:eu-west-1:123456789012:parameter/db", false},
		{"/prod/db/password", false},
		{"%s", false},
		{"\x00", false},
		{"pre-\x00", false},
	}
	for _, tt := range tests {
		if got := IsLiteral(tt.v); got != tt.want {
			t.Errorf("IsLiteral(%q) = %v, want %v", tt.v, got, tt.want)
		}
	}
}

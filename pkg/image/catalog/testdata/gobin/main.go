// Command gobin is a tiny Go program the tests build to get a binary with
// known module information.
package main

import (
	"fmt"

	packageurl "github.com/package-url/packageurl-go"
)

func main() { fmt.Println(packageurl.TypeGolang) }

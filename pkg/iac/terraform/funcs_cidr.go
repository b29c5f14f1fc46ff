package terraform

import (
	"errors"
	"fmt"
	"net"

	"github.com/apparentlymart/go-cidr/cidr"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// The cidr functions follow Terraform's, on top of go-cidr.

func parseCIDR(s string) (*net.IPNet, error) {
	_, n, err := net.ParseCIDR(s)
	if err != nil {
		return nil, fmt.Errorf("invalid CIDR expression: %s", err)
	}
	return n, nil
}

var cidrSubnetFunc = function.New(&function.Spec{
	Params: []function.Parameter{
		{Name: "prefix", Type: cty.String},
		{Name: "newbits", Type: cty.Number},
		{Name: "netnum", Type: cty.Number},
	},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		network, err := parseCIDR(args[0].AsString())
		if err != nil {
			return cty.NilVal, function.NewArgError(0, err)
		}
		newbits, err := bigInt(args[1])
		if err != nil || !newbits.IsInt64() || newbits.Int64() < 0 || newbits.Int64() > 128 {
			return cty.NilVal, function.NewArgErrorf(1, "newbits must be a whole number between 0 and 128")
		}
		netnum, err := bigInt(args[2])
		if err != nil {
			return cty.NilVal, function.NewArgError(2, err)
		}
		n, err := cidr.SubnetBig(network, int(newbits.Int64()), netnum)
		if err != nil {
			return cty.NilVal, err
		}
		return cty.StringVal(n.String()), nil
	},
})

var cidrHostFunc = function.New(&function.Spec{
	Params: []function.Parameter{
		{Name: "prefix", Type: cty.String},
		{Name: "hostnum", Type: cty.Number},
	},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		network, err := parseCIDR(args[0].AsString())
		if err != nil {
			return cty.NilVal, function.NewArgError(0, err)
		}
		hostnum, err := bigInt(args[1])
		if err != nil {
			return cty.NilVal, function.NewArgError(1, err)
		}
		ip, err := cidr.HostBig(network, hostnum)
		if err != nil {
			return cty.NilVal, err
		}
		return cty.StringVal(ip.String()), nil
	},
})

var cidrNetmaskFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "prefix", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		network, err := parseCIDR(args[0].AsString())
		if err != nil {
			return cty.NilVal, function.NewArgError(0, err)
		}
		if network.IP.To4() == nil {
			return cty.NilVal, errors.New("IPv6 addresses cannot have a netmask")
		}
		return cty.StringVal(net.IP(network.Mask).String()), nil
	},
})

var cidrSubnetsFunc = function.New(&function.Spec{
	Params:   []function.Parameter{{Name: "prefix", Type: cty.String}},
	VarParam: &function.Parameter{Name: "newbits", Type: cty.Number},
	Type:     function.StaticReturnType(cty.List(cty.String)),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		network, err := parseCIDR(args[0].AsString())
		if err != nil {
			return cty.NilVal, function.NewArgError(0, err)
		}
		startLen, maxLen := network.Mask.Size()
		if len(args) == 1 {
			return cty.ListValEmpty(cty.String), nil
		}
		if len(args)-1 > maxInstances {
			return cty.NilVal, errors.New("too many subnets")
		}
		lengths := make([]int, len(args)-1)
		for i, a := range args[1:] {
			nb, err := bigInt(a)
			if err != nil || !nb.IsInt64() || nb.Int64() < 1 || nb.Int64() > int64(maxLen) {
				return cty.NilVal, function.NewArgErrorf(i+1, "must extend the prefix by between 1 and %d bits", maxLen-startLen)
			}
			lengths[i] = startLen + int(nb.Int64())
			if lengths[i] > maxLen {
				return cty.NilVal, function.NewArgErrorf(i+1, "would extend the prefix to %d bits, which is too long for this address (%d bits)", lengths[i], maxLen)
			}
		}
		current, _ := cidr.PreviousSubnet(network, lengths[0])
		out := make([]cty.Value, len(lengths))
		for i, l := range lengths {
			next, rollover := cidr.NextSubnet(current, l)
			if rollover || !network.Contains(next.IP) {
				return cty.NilVal, function.NewArgErrorf(i+1, "not enough remaining address space for a subnet with a prefix of %d bits after %s", l, current.String())
			}
			current = next
			out[i] = cty.StringVal(current.String())
		}
		return cty.ListVal(out), nil
	},
})

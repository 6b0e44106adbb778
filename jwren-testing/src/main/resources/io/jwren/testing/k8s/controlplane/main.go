// Command controlplane is the Kubernetes control plane of jwren's tests: etcd, kube-apiserver and
// kube-controller-manager, built from their released Go modules. One binary serves all three (the first
// argument names which), because they share most of their packages and one link is much quicker than three.
package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"go.etcd.io/etcd/server/v3/etcdmain"
	"k8s.io/component-base/cli"
	apiserver "k8s.io/kubernetes/cmd/kube-apiserver/app"
	controllermanager "k8s.io/kubernetes/cmd/kube-controller-manager/app"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: controlplane etcd|kube-apiserver|kube-controller-manager [flags]")
		os.Exit(2)
	}
	args := os.Args[2:]
	var command *cobra.Command
	switch os.Args[1] {
	case "etcd":
		etcdmain.Main(append([]string{"etcd"}, args...))
		return
	case "kube-apiserver":
		command = apiserver.NewAPIServerCommand()
	case "kube-controller-manager":
		command = controllermanager.NewControllerManagerCommand()
	default:
		fmt.Fprintf(os.Stderr, "controlplane: unknown server %q\n", os.Args[1])
		os.Exit(2)
	}
	command.SetArgs(args)
	os.Exit(cli.Run(command))
}

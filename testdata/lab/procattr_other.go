//go:build !linux

package lab

import "syscall"

// proxyProcAttr puts a proxy in its own process group, so a stuck one can be
// killed with its workers.
func proxyProcAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }

// backendProcAttr has nothing to add outside Linux.
func backendProcAttr() *syscall.SysProcAttr { return nil }

package lab

import "syscall"

// proxyProcAttr puts a proxy in its own process group (so a stuck one can be
// killed with its workers) and sends it SIGTERM if the lab dies first.
func proxyProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
}

// backendProcAttr kills a backend process if the lab dies first.
func backendProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

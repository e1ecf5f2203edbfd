package main

import "testing"

func TestLoopbackOnly(t *testing.T) {
	tests := []struct {
		addr string
		ok   bool
	}{
		{"127.0.0.1:9000", true},
		{"127.3.4.5:0", true},
		{"[::1]:9000", true},
		{"localhost:9000", true},
		{"0.0.0.0:9000", false},
		{":9000", false},
		{"192.168.1.2:9000", false},
		{"10.0.0.1:80", false},
		{"example.org:80", false},
		{"127.0.0.1", false},
	}
	for _, tt := range tests {
		err := loopback(tt.addr)
		if (err == nil) != tt.ok {
			t.Errorf("loopback(%q): got error %v, want allowed=%v", tt.addr, err, tt.ok)
		}
	}
}

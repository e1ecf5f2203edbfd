package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestNewDatabaseInReadOnlyDirectory runs `vigie status` on a database
// that does not exist yet, in a directory the user may not write to: the
// error names the permission problem, not "no such file or directory".
// Root may write anywhere, so as root the command runs as nobody.
func TestNewDatabaseInReadOnlyDirectory(t *testing.T) {
	dir, err := os.MkdirTemp("", "vigie-ro-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755); os.RemoveAll(dir) })
	ro := filepath.Join(dir, "ro")
	if err := os.Mkdir(ro, 0o555); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "config.yaml")
	yaml := "database: " + filepath.Join(ro, "vigie.db") + "\nfeed: {title: Test, url: http://vigie.example/feed.atom}\n" +
		"keywords: [VSA]\nsources:\n  - {name: s, url: http://127.0.0.1:1/feed}\n"
	if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	var msg string
	if os.Geteuid() != 0 {
		var out, errb bytes.Buffer
		err = Run(context.Background(), []string{"status", "--config", cfg}, &out, &errb)
		if err == nil {
			t.Fatal("status: got no error, want the database refused")
		}
		msg = err.Error()
	} else {
		if testing.Short() {
			t.Skip("builds vigie to run it as nobody")
		}
		if err := os.Chmod(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		bin := buildVigie(t, dir)
		cmd := exec.Command(bin, "status", "--config", cfg)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		out, err := cmd.CombinedOutput()
		if err == nil {
			t.Fatalf("status as nobody: got no error, want the database refused:\n%s", out)
		}
		msg = string(out)
	}
	if !strings.Contains(msg, "permission denied") || !strings.Contains(msg, ro) {
		t.Errorf("got %q, want it to say the directory %s is not writable (permission denied)", msg, ro)
	}
	if _, err := os.Stat(filepath.Join(ro, "vigie.db")); err == nil {
		t.Error("a database was created in the read-only directory")
	}
}

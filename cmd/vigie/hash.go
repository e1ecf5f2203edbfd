package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

// hashCost is the bcrypt cost of the hashes vigie makes: about a quarter
// of a second on a small server, paid once per user until the config
// changes (the server remembers accepted credentials).
const hashCost = 12

// cmdHashPassword reads a password on its first line of stdin and prints
// its bcrypt hash, for auth.users[].password_hash.
func cmdHashPassword(args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) > 0 {
		return usageError{"hash-password: it takes no argument; type the password on standard input"}
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, 1024)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("hash-password: read: %w", err)
	}
	pass := strings.TrimRight(line, "\r\n")
	if pass == "" {
		return usageError{"hash-password: empty password (type it on standard input)"}
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(pass), hashCost)
	if err != nil {
		return fmt.Errorf("hash-password: %w", err)
	}
	fmt.Fprintln(stdout, string(hash))
	return nil
}

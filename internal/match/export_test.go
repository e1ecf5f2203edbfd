package match

// FoldPlain folds s as plain text, without the HTML step, for tests that
// check the one-pass Fold against plaintext.FromHTML.
func FoldPlain(s string) string { return string(squeeze(appendFold(nil, s, false))) }

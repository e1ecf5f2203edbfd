// Package match decides whether a feed item matches the configured keywords.
//
// It is pure: no I/O, no global mutable state. A [Matcher] is compiled once
// per configuration and is safe for concurrent use.
//
// Rules apply in this order:
//
//  1. Each field of an item (title, summary, content, each category) is
//     handled on its own: a phrase never matches across two fields.
//  2. [plaintext.FromHTML] turns the field into plain text: HTML tags are removed and each
//     tag separates words ("<b>VSA</b>x" gives "VSA x"), comments and the
//     contents of <script> and <style> are dropped, entities are decoded
//     (&nbsp;, &eacute;, &#8217;) after the tags are removed, so "&lt;b&gt;"
//     stays text. Every kind of space becomes one ASCII space.
//  3. [Fold] turns the plain text into lower-case words: Unicode NFKD, marks
//     removed (é → e), lower case, letters that do not decompose mapped
//     (œ → oe, æ → ae, ß → ss, ø → o, ł → l, đ → d, þ → th), soft hyphens and
//     zero-width joiners dropped. A word is a run of letters and digits;
//     everything else (spaces, apostrophes, hyphens, quotes, dashes,
//     punctuation, symbols) separates words, so "l’IA", "l'IA" and "L IA"
//     all give "l ia", and "Reconnaissance-Faciale" gives
//     "reconnaissance faciale". Fold is idempotent.
//  4. [Compile] folds each keyword the same way (keywords are plain text: no
//     HTML step). A "*" at the end of a keyword word makes that word a
//     prefix: "caméra*" matches "caméra", "caméras", "camera". A "*"
//     anywhere else ("cam*ra", "*cam", "**") is an error, not a literal, and
//     so is a keyword with no letter or digit ("", "--", "*").
//     Keywords that fold to the same words are one keyword (the first
//     spelling is kept).
//  5. A keyword matches a field when its words occur in the field's words
//     consecutively and whole: "VSA" matches "la VSA" and "(VSA)" but not
//     "Avsa" nor "VSAT"; "reconnaissance faciale" does not match
//     "reconnaissance de la faciale". An item matches a keyword when any of
//     its fields does.
//  6. Exclude entries follow the same rules and win: an item that matches
//     one is never published, whatever keywords it matches
//     ([Result.Published]).
//
// Consequences worth knowing: punctuation inside a keyword only separates
// words ("C++" is the word "c"), and a tag in the middle of a word splits it.
// Which ASCII characters belong to words is written once, in wordBytes
// (words.go), from which every folding table derives.
package match

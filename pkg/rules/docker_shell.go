package rules

import (
	"path"
	"strings"
)

// This file reads the shell scripts of RUN instructions well enough to find
// the commands they run: split at ;, &&, ||, | and newlines, words unquoted.
// It is not a shell: a rule that needs certainty about a word skips words
// that hold variables or command substitutions.

// shCommands splits a script into simple commands, each a list of words
// with quotes removed and leading wrappers (sudo, env, VAR=value) dropped.
func shCommands(script string) [][]string {
	var out [][]string
	for _, words := range shSplitScript(script) {
		if w := shCommandWords(words); len(w) > 0 {
			out = append(out, w)
		}
	}
	return out
}

// shSplitScript splits a script into the raw word lists of its simple
// commands.
func shSplitScript(script string) [][]string {
	var (
		cmds  [][]string
		words []string
		cur   strings.Builder
		inTok bool
	)
	endWord := func() {
		if inTok {
			words = append(words, cur.String())
			cur.Reset()
			inTok = false
		}
	}
	endCmd := func() {
		endWord()
		if len(words) > 0 {
			cmds = append(cmds, words)
			words = nil
		}
	}
	for i := 0; i < len(script); i++ {
		c := script[i]
		switch {
		case c == '\\' && i+1 < len(script):
			i++
			if script[i] != '\n' {
				cur.WriteByte(script[i])
				inTok = true
			}
		case c == '\'' || c == '"':
			j := strings.IndexByte(script[i+1:], c)
			if j < 0 {
				j = len(script) - i - 1
			}
			cur.WriteString(script[i+1 : i+1+j])
			inTok = true
			i += j + 1
		case c == '#' && !inTok:
			for i < len(script) && script[i] != '\n' {
				i++
			}
			endCmd()
		case c == ';' || c == '&' || c == '|' || c == '\n' || c == '(' || c == ')' || c == '{' && !inTok || c == '}' && !inTok:
			endCmd()
		case c == ' ' || c == '\t' || c == '\r':
			endWord()
		default:
			cur.WriteByte(c)
			inTok = true
		}
	}
	endCmd()
	return cmds
}

// shKeywords start a compound command; the command proper follows.
var shKeywords = map[string]bool{
	"if": true, "then": true, "else": true, "elif": true, "do": true, "while": true,
	"until": true, "fi": true, "done": true, "esac": true, "!": true, "time": true, "exec": true, "command": true, "nohup": true,
}

// shCommandWords drops what precedes the program a command runs: shell
// keywords, VAR=value assignments, and the sudo and env wrappers with their
// options.
func shCommandWords(words []string) []string {
	for len(words) > 0 {
		w := words[0]
		switch {
		case shKeywords[w]:
			words = words[1:]
		case shAssignment(w):
			words = words[1:]
		case w == "sudo" || w == "env":
			words = words[1:]
			for len(words) > 0 && (strings.HasPrefix(words[0], "-") || shAssignment(words[0])) {
				// sudo -u user: the option's value is a separate word.
				if words[0] == "-u" || words[0] == "-g" {
					words = words[1:]
				}
				if len(words) > 0 {
					words = words[1:]
				}
			}
		default:
			return words
		}
	}
	return nil
}

func shAssignment(w string) bool {
	k, _, ok := strings.Cut(w, "=")
	if !ok || k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// shProgram is the base name of a command's executable: /usr/bin/apt-get is
// apt-get.
func shProgram(words []string) string {
	if len(words) == 0 {
		return ""
	}
	return path.Base(words[0])
}

// shUsesSudo reports whether any command of the script is run through sudo.
func shUsesSudo(script string) bool {
	for _, words := range shSplitScript(script) {
		for _, w := range words {
			if shKeywords[w] || shAssignment(w) {
				continue
			}
			if path.Base(w) == "sudo" {
				return true
			}
			break
		}
	}
	return false
}

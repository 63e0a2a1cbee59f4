// A Go program that leaks files as a server's handler would: prints its pid, then for each "leak N" line
// opens /etc/hostname N times in leakFile (kept, never closed) and /etc/passwd in readPasswd (closed), and
// prints "leaked N".
package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

var kept []*os.File

//go:noinline
func leakFile() {
	f, err := os.Open("/etc/hostname")
	if err == nil {
		kept = append(kept, f)
	}
}

//go:noinline
func readPasswd() {
	f, err := os.Open("/etc/passwd")
	if err == nil {
		f.Close()
	}
}

func main() {
	fmt.Println(os.Getpid())
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		line := in.Text()
		if strings.HasPrefix(line, "leak ") {
			n, _ := strconv.Atoi(line[5:])
			for i := 0; i < n; i++ {
				leakFile()
				readPasswd()
			}
			fmt.Printf("leaked %d\n", n)
		}
	}
}

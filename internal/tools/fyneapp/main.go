// Command fyneapp reads the till's Fyne packaging metadata (cmd/pos/FyneApp.toml,
// the file the fyne CLI reads) so that make dist can follow it without the
// fyne CLI:
//
//	go run ./internal/tools/fyneapp -toml cmd/pos/FyneApp.toml -desktop -exec opentill
//	go run ./internal/tools/fyneapp -toml cmd/pos/FyneApp.toml -get id|name|icon|comment
//
// -desktop prints the freedesktop.org desktop entry of the Linux package.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/BurntSushi/toml"
)

// App is the part of FyneApp.toml the packages use.
type App struct {
	Website string
	Details struct {
		Icon  string
		Name  string
		ID    string
		Build int
	}
	LinuxAndBSD struct {
		GenericName string
		Categories  []string
		Comment     string
		Keywords    []string
	}
}

func main() {
	path := flag.String("toml", "cmd/pos/FyneApp.toml", "the FyneApp.toml")
	desktop := flag.Bool("desktop", false, "print the desktop entry")
	exec := flag.String("exec", "opentill", "with -desktop: the command the entry starts")
	icon := flag.String("icon", "opentill", "with -desktop: the icon name in the icon theme")
	get := flag.String("get", "", "print one field: id, name, icon, comment, generic")
	flag.Parse()
	a, err := load(*path)
	if err == nil {
		switch {
		case *desktop:
			err = writeDesktop(os.Stdout, a, *exec, *icon)
		case *get != "":
			var v string
			v, err = field(a, *get)
			fmt.Println(v)
		default:
			err = errors.New("give -desktop or -get FIELD")
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "fyneapp:", err)
		os.Exit(1)
	}
}

func load(path string) (App, error) {
	var a App
	md, err := toml.DecodeFile(path, &a)
	if err != nil {
		return a, err
	}
	if und := md.Undecoded(); len(und) > 0 {
		return a, fmt.Errorf("%s: unknown keys %v", path, und)
	}
	if a.Details.Name == "" || a.Details.ID == "" || a.Details.Icon == "" {
		return a, fmt.Errorf("%s: [Details] needs Name, ID and Icon", path)
	}
	return a, nil
}

func field(a App, name string) (string, error) {
	switch name {
	case "id":
		return a.Details.ID, nil
	case "name":
		return a.Details.Name, nil
	case "icon":
		return a.Details.Icon, nil
	case "comment":
		return a.LinuxAndBSD.Comment, nil
	case "generic":
		return a.LinuxAndBSD.GenericName, nil
	}
	return "", fmt.Errorf("unknown field %q", name)
}

// list is a desktop-entry list: each item followed by a semicolon.
func list(xs []string) string {
	if len(xs) == 0 {
		return ""
	}
	return strings.Join(xs, ";") + ";"
}

func writeDesktop(w io.Writer, a App, exec, icon string) error {
	lines := []string{"[Desktop Entry]", "Type=Application", "Version=1.0", "Name=" + a.Details.Name}
	if g := a.LinuxAndBSD.GenericName; g != "" {
		lines = append(lines, "GenericName="+g)
	}
	if c := a.LinuxAndBSD.Comment; c != "" {
		lines = append(lines, "Comment="+c)
	}
	lines = append(lines, "Exec="+exec, "Icon="+icon, "Terminal=false")
	if c := list(a.LinuxAndBSD.Categories); c != "" {
		lines = append(lines, "Categories="+c)
	}
	if k := list(a.LinuxAndBSD.Keywords); k != "" {
		lines = append(lines, "Keywords="+k)
	}
	_, err := io.WriteString(w, strings.Join(lines, "\n")+"\n")
	return err
}

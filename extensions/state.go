package extensions

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/opentill/opentill/internal/atomicfile"
)

// State keeps an extension's own data (a stamp count per customer) across
// restarts. Values are small JSON documents.
type State interface {
	Get(key string, dst any) (bool, error)
	Put(key string, v any) error
}

// MemState is a State in memory (tests, and extensions of a till without a
// data folder).
type MemState struct {
	mu sync.Mutex
	m  map[string]json.RawMessage
}

// NewMemState returns an empty MemState.
func NewMemState() *MemState { return &MemState{m: map[string]json.RawMessage{}} }

// Get decodes the value under key into dst; false when there is none.
func (s *MemState) Get(key string, dst any) (bool, error) {
	s.mu.Lock()
	b, ok := s.m[key]
	s.mu.Unlock()
	if !ok {
		return false, nil
	}
	return true, json.Unmarshal(b, dst)
}

// Put stores v under key.
func (s *MemState) Put(key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.m[key] = b
	s.mu.Unlock()
	return nil
}

// FileState is a State in one JSON file, rewritten atomically (a temporary
// file, fsync, rename) on every Put.
type FileState struct {
	path string
	mem  *MemState
}

// OpenFileState opens (or starts) the state file at path.
func OpenFileState(path string) (*FileState, error) {
	s := &FileState{path: path, mem: NewMemState()}
	b, err := os.ReadFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return s, nil
	case err != nil:
		return nil, err
	}
	if err := json.Unmarshal(b, &s.mem.m); err != nil {
		return nil, fmt.Errorf("%s is damaged (%v): move it aside to start the extension's data afresh", path, err)
	}
	if s.mem.m == nil {
		s.mem.m = map[string]json.RawMessage{}
	}
	return s, nil
}

// Get reads a value.
func (s *FileState) Get(key string, dst any) (bool, error) { return s.mem.Get(key, dst) }

// Put stores a value and writes the file.
func (s *FileState) Put(key string, v any) error {
	if err := s.mem.Put(key, v); err != nil {
		return err
	}
	s.mem.mu.Lock()
	b, err := json.MarshalIndent(s.mem.m, "", "  ")
	s.mem.mu.Unlock()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(s.path), 0o755); err != nil {
		return err
	}
	return atomicfile.Write(s.path, b, 0o644)
}

// DataDir gives the extensions of a till's data folder their configs
// (DATA/extensions/config/ID.json, each optional) and their state
// (DATA/extensions/state/ID.json).
func DataDir(data string) (Options, error) {
	opt := Options{Configs: map[string]json.RawMessage{}}
	dir := filepath.Join(data, "extensions", "config")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return opt, err
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return opt, err
		}
		id := filepath.Base(f)
		id = id[:len(id)-len(".json")]
		opt.Configs[id] = b
	}
	opt.State = func(id string) State {
		st, err := OpenFileState(filepath.Join(data, "extensions", "state", id+".json"))
		if err != nil {
			return brokenState{err}
		}
		return st
	}
	return opt, nil
}

// brokenState is the state of an extension whose file could not be read:
// every call says why, so the extension fails where it needs its data.
type brokenState struct{ err error }

func (b brokenState) Get(string, any) (bool, error) { return false, b.err }
func (b brokenState) Put(string, any) error         { return b.err }

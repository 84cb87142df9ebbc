package valuekit

import (
	"io"
	"os"
	"sync"
	"sync/atomic"
)

// inputFile is what OpenFile reads: an *os.File, or one that counts the
// bytes read for ReadOptions.Progress.
type inputFile interface {
	io.Reader
	io.ReaderAt
	io.Seeker
	io.Closer
	Stat() (os.FileInfo, error)
}

// progressStep is how many bytes pass between Progress calls.
const progressStep = 1 << 20

// countingFile is an *os.File that reports the bytes read through it, by
// Read and ReadAt from any goroutine, to a Progress function.
type countingFile struct {
	*os.File
	size     int64
	read     atomic.Int64
	reported atomic.Int64
	mu       sync.Mutex
	progress func(read, size int64)
}

// withProgress returns f, counting its reads when progress is not nil.
func withProgress(f *os.File, progress func(read, size int64)) (inputFile, error) {
	if progress == nil {
		return f, nil
	}
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	return &countingFile{File: f, size: fi.Size(), progress: progress}, nil
}

func (f *countingFile) Read(b []byte) (int, error) {
	n, err := f.File.Read(b)
	f.count(n)
	return n, err
}

func (f *countingFile) ReadAt(b []byte, off int64) (int, error) {
	n, err := f.File.ReadAt(b, off)
	f.count(n)
	return n, err
}

// count adds n bytes and calls progress when another step has passed.
func (f *countingFile) count(n int) {
	r := f.read.Add(int64(n))
	if last := f.reported.Load(); r-last < progressStep && r < f.size {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if r > f.reported.Load() {
		f.reported.Store(r)
		f.progress(min(r, f.size), f.size)
	}
}

// Close reports the whole file read (a Parquet reader skips the columns it
// does not need) and closes it.
func (f *countingFile) Close() error {
	f.mu.Lock()
	if f.reported.Load() < f.size {
		f.reported.Store(f.size)
		f.progress(f.size, f.size)
	}
	f.mu.Unlock()
	return f.File.Close()
}

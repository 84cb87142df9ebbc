package valuekit

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow/go/v15/arrow/ipc"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeIPCTest writes events as an LZ4-compressed IPC stream and file.
func writeIPCTest(t *testing.T, ev *Events) (stream, file []byte) {
	t.Helper()
	rec := ev.Record(memory.NewGoAllocator())
	defer rec.Release()
	var sb bytes.Buffer
	sw := ipc.NewWriter(&sb, ipc.WithSchema(rec.Schema()), ipc.WithLZ4())
	require.NoError(t, sw.Write(rec))
	require.NoError(t, sw.Close())
	f, err := os.Create(filepath.Join(t.TempDir(), "events.arrow"))
	require.NoError(t, err)
	defer f.Close()
	fw, err := ipc.NewFileWriter(f, ipc.WithSchema(rec.Schema()), ipc.WithLZ4())
	require.NoError(t, err)
	require.NoError(t, fw.Write(rec))
	require.NoError(t, fw.Close())
	file, err = os.ReadFile(f.Name())
	require.NoError(t, err)
	return sb.Bytes(), file
}

// The readers run internal/ipccheck before Arrow's decoder: valid IPC
// streams and files read back, and input whose framing or schema lengths
// do not fit is refused as ErrFormat without a panic. (Every rejection of
// the checker is tested in internal/ipccheck.)
func TestReadIPCCorrupt(t *testing.T) {
	score := 7.5
	ev, err := NewEvents([]Event{
		{CustomerID: "a", Time: date("2020-01-01"), Kind: Purchase, Amount: 10, Cost: 4, Quantity: 1},
		{CustomerID: "b", Time: date("2020-01-02"), Kind: Referral, ReferredID: "c"},
		{CustomerID: "c", Time: date("2020-01-03"), Kind: Purchase, Amount: 5},
		{CustomerID: "a", Time: date("2020-01-04"), Kind: Feedback, Score: &score},
		{CustomerID: "a", Time: date("2020-01-05"), Kind: Purchase, Amount: -3},
	})
	require.NoError(t, err)
	stream, file := writeIPCTest(t, ev)
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, b, 0o600))
		return path
	}
	for name, b := range map[string][]byte{"stream.arrow": stream, "file.arrow": file} {
		got, err := ReadFile(write(name, b), nil)
		require.NoError(t, err, name)
		assert.Equal(t, 5, got.Len(), name)
		got, err = ReadIPC(bytes.NewReader(b), name, nil)
		if name == "stream.arrow" {
			require.NoError(t, err, name)
			assert.Equal(t, 5, got.Len(), name)
		}
	}

	patch := func(b []byte, f func([]byte)) []byte {
		c := bytes.Clone(b)
		f(c)
		return c
	}
	// The stream starts with the schema message: 0xFFFFFFFF, then its
	// metadata length; the file with "ARROW1\0\0" and the same message.
	cases := map[string][]byte{
		"schema length beyond the stream": patch(stream, func(b []byte) { binary.LittleEndian.PutUint32(b[4:], 1<<30) }),
		"negative schema length":          patch(stream, func(b []byte) { binary.LittleEndian.PutUint32(b[4:], 0x80000000) }),
		"schema flatbuffer root outside":  patch(stream, func(b []byte) { binary.LittleEndian.PutUint32(b[8:], 1<<28) }),
		"file footer length beyond":       patch(file, func(b []byte) { binary.LittleEndian.PutUint32(b[len(b)-10:], 1<<30) }),
		"truncated stream":                stream[:len(stream)/2],
	}
	for name, b := range cases {
		t.Run(name, func(t *testing.T) {
			require.NotPanics(t, func() { _, err = ReadFile(write("c.arrow", b), nil) })
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrFormat)
			require.NotPanics(t, func() { _, err = ReadIPC(bytes.NewReader(b), "c.arrow", nil) })
			require.Error(t, err)
		})
	}
}

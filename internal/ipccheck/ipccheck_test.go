package ipccheck

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/ipc"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ipcMsg is one framed message of an IPC stream, located by parsing.
type ipcMsg struct {
	at      int // start of the framing (continuation marker)
	lenAt   int // position of the int32 metadata length
	metaAt  int // first byte of the metadata flatbuffer
	metaLen int
	bodyAt  int
	bodyLen int
	htype   int // 1 schema, 2 dictionary batch, 3 record batch
	msg     fbTable
}

// abs converts a position inside the message's metadata to a position in
// the whole input.
func (m ipcMsg) abs(p int) int { return m.metaAt + p }

// header returns the message's header table.
func (m ipcMsg) header(t *testing.T) fbTable {
	t.Helper()
	p := m.msg.ref(2)
	require.GreaterOrEqual(t, p, 0)
	h, ok := m.msg.b.table(p)
	require.True(t, ok)
	return h
}

// parseIPCMessages walks the messages from pos until end of stream.
func parseIPCMessages(t *testing.T, b []byte, pos, end int) []ipcMsg {
	t.Helper()
	var msgs []ipcMsg
	for pos < end {
		m := ipcMsg{at: pos}
		require.Equal(t, uint32(0xFFFFFFFF), binary.LittleEndian.Uint32(b[pos:]), "continuation marker at %d", pos)
		m.lenAt = pos + 4
		m.metaLen = int(int32(binary.LittleEndian.Uint32(b[pos+4:])))
		if m.metaLen == 0 {
			break
		}
		m.metaAt = pos + 8
		meta := flatbuffer(b[m.metaAt : m.metaAt+m.metaLen])
		msg, ok := rootTable(meta)
		require.True(t, ok)
		m.msg = msg
		m.htype = int(meta[msg.field(1)])
		m.bodyAt = m.metaAt + m.metaLen
		if p := msg.field(3); p >= 0 {
			m.bodyLen = int(binary.LittleEndian.Uint64(meta[p:]))
		}
		msgs = append(msgs, m)
		pos = m.bodyAt + m.bodyLen
	}
	return msgs
}

func findMsg(t *testing.T, msgs []ipcMsg, htype int) ipcMsg {
	t.Helper()
	for _, m := range msgs {
		if m.htype == htype {
			return m
		}
	}
	t.Fatalf("no message of header type %d", htype)
	return ipcMsg{}
}

// ipcFooter locates the footer of an IPC file.
type ipcFooter struct {
	lenAt int // position of the uint32 footer length
	at    int // footer flatbuffer start
	ft    fbTable
}

func (f ipcFooter) abs(p int) int { return f.at + p }

func parseIPCFooter(t *testing.T, b []byte) ipcFooter {
	t.Helper()
	require.Equal(t, "ARROW1", string(b[len(b)-6:]))
	lenAt := len(b) - 10
	n := int(binary.LittleEndian.Uint32(b[lenAt:]))
	at := lenAt - n
	ft, ok := rootTable(flatbuffer(b[at:lenAt]))
	require.True(t, ok)
	return ipcFooter{lenAt: lenAt, at: at, ft: ft}
}

func put32(b []byte, pos int, v uint32) { binary.LittleEndian.PutUint32(b[pos:], v) }
func put64(b []byte, pos int, v uint64) { binary.LittleEndian.PutUint64(b[pos:], v) }

// ipcTestRecord is the events table of the tests as an Arrow record: it has
// dictionary columns, so the IPC output has dictionary batches, and schema
// metadata.
func ipcTestRecord(t *testing.T) arrow.Record {
	t.Helper()
	mem := memory.NewGoAllocator()
	idType := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	md := arrow.NewMetadata([]string{"origin"}, []string{"ipccheck_test"})
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "customer_id", Type: idType},
		{Name: "time", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}},
		{Name: "amount", Type: arrow.PrimitiveTypes.Float64},
		{Name: "score", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	}, &md)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	ids := b.Field(0).(*array.BinaryDictionaryBuilder)
	for _, id := range []string{"a", "b", "c", "a", "a"} {
		require.NoError(t, ids.AppendString(id))
	}
	for i := range 5 {
		b.Field(1).(*array.TimestampBuilder).Append(arrow.Timestamp(1577836800_000000 + int64(i)*86400_000000))
	}
	b.Field(2).(*array.Float64Builder).AppendValues([]float64{10, 0, 5, 0, -3}, nil)
	b.Field(3).(*array.Float64Builder).AppendValues([]float64{0, 0, 0, 7.5, 0}, []bool{false, false, false, true, false})
	return b.NewRecord()
}

// validIPC returns the test record as an LZ4-compressed IPC stream and file.
func validIPC(t *testing.T) (stream, file []byte) {
	t.Helper()
	rec := ipcTestRecord(t)
	defer rec.Release()
	var sb bytes.Buffer
	sw := ipc.NewWriter(&sb, ipc.WithSchema(rec.Schema()), ipc.WithLZ4())
	require.NoError(t, sw.Write(rec))
	require.NoError(t, sw.Close())
	f, err := os.Create(filepath.Join(t.TempDir(), "valid.arrow"))
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

// deepSchemaStream is a valid stream whose schema nests structs deeper
// than maxFieldDepth.
func deepSchemaStream(t *testing.T) []byte {
	t.Helper()
	var typ arrow.DataType = arrow.PrimitiveTypes.Int64
	for range maxFieldDepth + 2 {
		typ = arrow.StructOf(arrow.Field{Name: "x", Type: typ, Nullable: true})
	}
	schema := arrow.NewSchema([]arrow.Field{{Name: "deep", Type: typ, Nullable: true}}, nil)
	var b bytes.Buffer
	w := ipc.NewWriter(&b, ipc.WithSchema(schema))
	require.NoError(t, w.Close())
	return b.Bytes()
}

type failingReaderAt struct{}

var errTestRead = errors.New("test read failure")

func (failingReaderAt) ReadAt([]byte, int64) (int, error) { return 0, errTestRead }

func TestCheckIPCAcceptsValid(t *testing.T) {
	stream, file := validIPC(t)
	require.NoError(t, Check(bytes.NewReader(stream), int64(len(stream))))
	require.NoError(t, Check(bytes.NewReader(file), int64(len(file))))
	// An empty input and a lone end-of-stream marker are accepted.
	require.NoError(t, Check(bytes.NewReader(nil), 0))
	eos := []byte{0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0}
	require.NoError(t, Check(bytes.NewReader(eos), int64(len(eos))))
}

// TestCheckIPCRejects derives one corrupt copy of a valid IPC stream or
// file per rejection of Check and checks that Check returns an error for
// it (the root package's TestReadIPCCorrupt checks that the readers refuse
// such input as valuekit.ErrFormat).
func TestCheckIPCRejects(t *testing.T) {
	stream, file := validIPC(t)
	smsgs := parseIPCMessages(t, stream, 0, len(stream))
	foot := parseIPCFooter(t, file)
	fmsgs := parseIPCMessages(t, file, 8, foot.lenAt-int(binary.LittleEndian.Uint32(file[foot.lenAt:])))

	sschema := findMsg(t, smsgs, 1)
	sdict := findMsg(t, smsgs, 2)
	sbatch := findMsg(t, smsgs, 3)
	fbatch := findMsg(t, fmsgs, 3)
	// dictData is the record batch inside dictionary batch message m.
	dictData := func(m ipcMsg) fbTable {
		h := m.header(t)
		data, ok := h.b.table(h.ref(1))
		require.True(t, ok)
		return data
	}

	// patchStream and patchFile return a copy of the input changed by f.
	patchStream := func(f func(b []byte)) []byte {
		b := bytes.Clone(stream)
		f(b)
		return b
	}
	patchFile := func(f func(b []byte)) []byte {
		b := bytes.Clone(file)
		f(b)
		return b
	}
	// bigVector makes the vector of field i of tb claim far more elements
	// than its buffer holds.
	bigVector := func(b []byte, base int, tb fbTable, i int) {
		p := tb.ref(i)
		require.GreaterOrEqual(t, p, 0, "vector field %d", i)
		put32(b, base+p, 0x7FFFFFF0)
	}
	// badRef makes the offset in field i of tb point past the buffer.
	badRef := func(b []byte, base int, tb fbTable, i int) {
		p := tb.field(i)
		require.GreaterOrEqual(t, p, 0, "offset field %d", i)
		put32(b, base+p, 0x7FFFFFF0)
	}
	// badTable makes the vtable of the table at p lie outside the buffer.
	badTable := func(b []byte, base, p int) { put32(b, base+p, 0x7FFFFFF0) }

	fschema := func() fbTable {
		p := foot.ft.ref(1)
		require.GreaterOrEqual(t, p, 0)
		st, ok := foot.ft.b.table(p)
		require.True(t, ok)
		return st
	}()
	// firstBlock is the position in the file of the first record batch block.
	firstBlock := func() int {
		start, n, ok := foot.ft.vector(3, 24)
		require.True(t, ok)
		require.Positive(t, n)
		return foot.abs(start)
	}()
	// compressedBuffer returns the body position in the input of the first
	// buffer of m at least 8 bytes long.
	compressedBuffer := func(h fbTable, bodyAt int) int {
		start, n, ok := h.vector(2, 16)
		require.True(t, ok)
		for k := range n {
			e := h.b[start+16*k:]
			if binary.LittleEndian.Uint64(e[8:]) >= 8 {
				return bodyAt + int(binary.LittleEndian.Uint64(e))
			}
		}
		t.Fatal("no compressed buffer")
		return 0
	}

	cases := []struct {
		name  string
		want  string // the rejection's message
		input []byte
	}{
		// footer
		{name: "footer: file too small", want: "file too small", input: []byte("ARROW1\x00\x00\x00\x00\x00\x00ARROW1")[:16]},
		{name: "footer: file truncated before its footer", want: "a length points past the end of the input", input: append(bytes.Clone(file[:8]), file[len(file)-10:]...)},
		{name: "footer: length points outside the file", want: "a length points past the end of the input", input: patchFile(func(b []byte) {
			put32(b, foot.lenAt, uint32(len(file)))
		})},
		{name: "footer: bad root table", want: "bad footer", input: patchFile(func(b []byte) {
			put32(b, foot.at, 0x7FFFFFF0)
		})},
		{name: "footer: schema offset out of bounds", want: "bad footer schema", input: patchFile(func(b []byte) {
			badRef(b, foot.at, foot.ft, 1)
		})},
		{name: "footer: schema table bad", want: "bad footer schema", input: patchFile(func(b []byte) {
			badTable(b, foot.at, foot.ft.ref(1))
		})},
		{name: "footer: schema fields vector too long", want: "bad footer schema", input: patchFile(func(b []byte) {
			bigVector(b, foot.at, fschema, 1)
		})},
		{name: "footer: record batch blocks vector too long", want: "bad footer blocks", input: patchFile(func(b []byte) {
			bigVector(b, foot.at, foot.ft, 3)
		})},
		{name: "footer: dictionary blocks vector too long", want: "bad footer blocks", input: patchFile(func(b []byte) {
			bigVector(b, foot.at, foot.ft, 2)
		})},
		{name: "footer: block offset before the first message", want: "a footer block points outside the file", input: patchFile(func(b []byte) {
			put64(b, firstBlock, 4)
		})},
		{name: "footer: block offset past the footer", want: "a footer block points outside the file", input: patchFile(func(b []byte) {
			put64(b, firstBlock, uint64(len(file)))
		})},
		{name: "footer: block negative metadata length", want: "a footer block points outside the file", input: patchFile(func(b []byte) {
			put32(b, firstBlock+8, 0xFFFFFFF0)
		})},
		{name: "footer: block body length past the footer", want: "a footer block points outside the file", input: patchFile(func(b []byte) {
			put64(b, firstBlock+16, uint64(len(file)))
		})},
		{name: "footer: block negative body length", want: "a footer block points outside the file", input: patchFile(func(b []byte) {
			put64(b, firstBlock+16, 1<<63)
		})},
		{name: "footer: block message does not fit in its block", want: "a message of", input: patchFile(func(b []byte) {
			put32(b, firstBlock+8, 8)
		})},

		// message framing
		{name: "message: truncated length", want: "truncated message", input: []byte{0xFF, 0xFF}},
		{name: "message: truncated after continuation marker", want: "truncated message", input: []byte{0xFF, 0xFF, 0xFF, 0xFF, 1, 0}},
		{name: "message: metadata length past the end", want: "a message of", input: patchStream(func(b []byte) {
			put32(b, sschema.lenAt, uint32(len(stream)))
		})},
		{name: "message: negative metadata length", want: "a message of", input: patchStream(func(b []byte) {
			put32(b, sschema.lenAt, 0x80000000)
		})},
		{name: "message: bad continuation marker", want: "a message of", input: patchStream(func(b []byte) {
			put32(b, sschema.at, 0xFFFFFFFE)
		})},
		{name: "message: metadata length past the end (file)", want: "a message of", input: patchFile(func(b []byte) {
			put32(b, fbatch.lenAt, uint32(len(file)))
		})},
		{name: "message: bad root table", want: "bad message", input: patchStream(func(b []byte) {
			put32(b, sschema.metaAt, 0x7FFFFFF0)
		})},
		{name: "message: header offset out of bounds", want: "bad message header", input: patchStream(func(b []byte) {
			badRef(b, sschema.metaAt, sschema.msg, 2)
		})},
		{name: "message: body length field past the metadata", want: "bad message", input: patchStream(func(b []byte) {
			// point the vtable entry of bodyLength at the metadata's last 4 bytes
			vt := sbatch.msg.vt
			put16 := uint16(sbatch.metaLen - 4 - sbatch.msg.pos)
			binary.LittleEndian.PutUint16(b[sbatch.abs(vt+4+2*3):], put16)
		})},
		{name: "message: body length past the end", want: "body of", input: patchStream(func(b []byte) {
			put64(b, sbatch.abs(sbatch.msg.field(3)), uint64(len(stream)))
		})},
		{name: "message: negative body length", want: "body of", input: patchStream(func(b []byte) {
			put64(b, sbatch.abs(sbatch.msg.field(3)), 1<<63)
		})},
		{name: "message: body length past the end (file)", want: "body of", input: patchFile(func(b []byte) {
			put64(b, fbatch.abs(fbatch.msg.field(3)), uint64(len(file)))
		})},
		{name: "message: bad header table", want: "bad message header", input: patchStream(func(b []byte) {
			badTable(b, sbatch.metaAt, sbatch.msg.ref(2))
		})},

		// schema
		{name: "schema: fields vector too long", want: "bad schema", input: patchStream(func(b []byte) {
			bigVector(b, sschema.metaAt, sschema.header(t), 1)
		})},
		{name: "schema: metadata vector too long", want: "bad schema", input: patchStream(func(b []byte) {
			bigVector(b, sschema.metaAt, sschema.header(t), 2)
		})},
		{name: "schema: metadata key too long", want: "bad schema", input: patchStream(func(b []byte) {
			h := sschema.header(t)
			start, n, ok := h.vector(2, 4)
			require.True(t, ok)
			require.Positive(t, n)
			off, _ := h.b.u32(start)
			kv, ok := h.b.table(start + off)
			require.True(t, ok)
			bigVector(b, sschema.metaAt, kv, 0)
		})},
		{name: "schema: field name too long", want: "bad schema", input: patchStream(func(b []byte) {
			h := sschema.header(t)
			start, _, ok := h.vector(1, 4)
			require.True(t, ok)
			off, _ := h.b.u32(start)
			f, ok := h.b.table(start + off)
			require.True(t, ok)
			bigVector(b, sschema.metaAt, f, 0)
		})},
		{name: "schema: field type offset out of bounds", want: "bad schema", input: patchStream(func(b []byte) {
			h := sschema.header(t)
			start, _, ok := h.vector(1, 4)
			require.True(t, ok)
			off, _ := h.b.u32(start)
			f, ok := h.b.table(start + off)
			require.True(t, ok)
			badRef(b, sschema.metaAt, f, 3)
		})},
		{name: "schema: fields nested too deep", want: "bad schema", input: deepSchemaStream(t)},

		// dictionary batch
		{name: "dictionary batch: data offset out of bounds", want: "bad dictionary batch", input: patchStream(func(b []byte) {
			badRef(b, sdict.metaAt, sdict.header(t), 1)
		})},
		{name: "dictionary batch: bad data table", want: "bad dictionary batch", input: patchStream(func(b []byte) {
			badTable(b, sdict.metaAt, sdict.header(t).ref(1))
		})},
		{name: "dictionary batch: buffer outside its body", want: "a buffer lies outside its message body", input: patchStream(func(b []byte) {
			start, n, ok := dictData(sdict).vector(2, 16)
			require.True(t, ok)
			require.Positive(t, n)
			put64(b, sdict.abs(start), uint64(sdict.bodyLen+1))
		})},

		// record batch
		{name: "record batch: nodes vector too long", want: "bad record batch nodes", input: patchStream(func(b []byte) {
			bigVector(b, sbatch.metaAt, sbatch.header(t), 1)
		})},
		{name: "record batch: buffers vector too long", want: "bad record batch buffers", input: patchStream(func(b []byte) {
			bigVector(b, sbatch.metaAt, sbatch.header(t), 2)
		})},
		{name: "record batch: buffer offset past its body", want: "a buffer lies outside its message body", input: patchStream(func(b []byte) {
			start, _, _ := sbatch.header(t).vector(2, 16)
			put64(b, sbatch.abs(start), uint64(sbatch.bodyLen+1))
		})},
		{name: "record batch: negative buffer offset", want: "a buffer lies outside its message body", input: patchStream(func(b []byte) {
			start, _, _ := sbatch.header(t).vector(2, 16)
			put64(b, sbatch.abs(start), 1<<63)
		})},
		{name: "record batch: buffer length past its body", want: "a buffer lies outside its message body", input: patchStream(func(b []byte) {
			start, _, _ := sbatch.header(t).vector(2, 16)
			put64(b, sbatch.abs(start+8), uint64(sbatch.bodyLen+1))
		})},
		{name: "record batch: negative buffer length", want: "a buffer lies outside its message body", input: patchStream(func(b []byte) {
			start, _, _ := sbatch.header(t).vector(2, 16)
			put64(b, sbatch.abs(start+8), 1<<63)
		})},
		{name: "record batch: buffer outside its body (file)", want: "a buffer lies outside its message body", input: patchFile(func(b []byte) {
			start, _, _ := fbatch.header(t).vector(2, 16)
			put64(b, fbatch.abs(start), uint64(fbatch.bodyLen+1))
		})},
		{name: "record batch: implausible decompressed size", want: "a compressed buffer declares", input: patchStream(func(b []byte) {
			put64(b, compressedBuffer(sbatch.header(t), sbatch.bodyAt), 1<<40)
		})},
		{name: "record batch: negative decompressed size", want: "a compressed buffer declares", input: patchStream(func(b []byte) {
			put64(b, compressedBuffer(sbatch.header(t), sbatch.bodyAt), uint64(0xFFFFFFFFFFFFFFFE)) // -2
		})},
		{name: "record batch: implausible decompressed size (file)", want: "a compressed buffer declares", input: patchFile(func(b []byte) {
			put64(b, compressedBuffer(fbatch.header(t), fbatch.bodyAt), 1<<40)
		})},
		{name: "dictionary batch: implausible decompressed size", want: "a compressed buffer declares", input: patchStream(func(b []byte) {
			put64(b, compressedBuffer(dictData(sdict), sdict.bodyAt), 1<<40)
		})},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := Check(bytes.NewReader(tc.input), int64(len(tc.input)))
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrCorrupt)
			assert.Contains(t, err.Error(), tc.want)
		})
	}

	// A read error is returned as it is, not as a corrupt input.
	t.Run("read error", func(t *testing.T) {
		err := Check(failingReaderAt{}, int64(len(file)))
		require.ErrorIs(t, err, errTestRead)
		assert.NotErrorIs(t, err, ErrCorrupt)
	})
}

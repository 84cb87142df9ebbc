package valuekit

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadCSVErrors(t *testing.T) {
	tests := []struct {
		name    string
		input   string
		opts    ReadOptions
		want    error  // sentinel
		message string // exact error text
	}{
		{name: "empty file", input: "", want: ErrEmpty, message: "orders.csv: no data: the file is empty (no header row)"},
		{name: "bad number", input: "customer_id,date,amount\n1,2020-01-01,10\n2,2020-01-02,\"12,5x\"\n", want: ErrBadRow,
			message: `orders.csv: row 3, column "amount": "12,5x" is not a number`},
		{name: "NaN amount", input: "customer_id,date,amount\n1,2020-01-01,NaN\n", want: ErrBadRow,
			message: `orders.csv: row 2, column "amount": "NaN" is not a finite number`},
		{name: "Inf amount", input: "customer_id,date,amount\n1,2020-01-01,+Inf\n", want: ErrBadRow,
			message: `orders.csv: row 2, column "amount": "+Inf" is not a finite number`},
		{name: "bad time", input: "customer_id,date,amount\n1,2020-01-01,1\n1,2020-13-01,1\n", want: ErrBadRow,
			message: `orders.csv: row 3, column "date": "2020-13-01" is not a time in layout "2006-01-02"`},
		{name: "undetectable time", input: "customer_id,date,amount\n1,01.02.2020,1\n", want: ErrBadRow},
		{name: "missing customer column", input: "who,date,amount\n1,2020-01-01,1\n", want: ErrMissingColumn},
		{name: "missing mapped column", input: "customer_id,date,amount\n1,2020-01-01,1\n", opts: ReadOptions{Columns: Columns{Amount: "total"}}, want: ErrMissingColumn,
			message: `orders.csv: missing column: "total" (for amount; the header has "customer_id", "date", "amount")`},
		{name: "missing amount", input: "customer_id,date\n1,2020-01-01\n", want: ErrMissingColumn},
		{name: "duplicate column", input: "customer_id,date,amount,amount\n1,2020-01-01,1,2\n", want: ErrDuplicateColumn},
		{name: "unknown kind", input: "customer_id,date,kind,amount\n1,2020-01-01,gift,1\n", want: ErrBadRow,
			message: `orders.csv: row 2, column "kind": "gift" is not a known kind (purchase, refund, referral, share, feedback, or a word mapped to one)`},
		{name: "field count", input: "customer_id,date,amount\n1,2020-01-01\n", want: ErrFieldCount,
			message: "orders.csv: row 2: has 2 fields, the header has 3"},
		{name: "empty customer", input: "customer_id,date,amount\n,2020-01-01,1\n", want: ErrBadRow},
		{name: "empty amount", input: "customer_id,date,amount\n1,2020-01-01,\n", want: ErrBadRow},
		{name: "unterminated quote", input: "customer_id,date,amount\n\"1,2020-01-01,1\n", want: ErrBadRow},
		{name: "feedback without score", input: "customer_id,date,kind,amount,score\n1,2020-01-01,feedback,0,\n", want: ErrBadRow},
		{name: "bad separator option", input: "a\n", opts: ReadOptions{Comma: '"'}, want: ErrOption},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadCSV(strings.NewReader(tt.input), "orders.csv", &tt.opts)
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.want)
			if tt.message != "" {
				assert.Equal(t, tt.message, err.Error())
			}
			var re *RowError
			if errors.Is(err, ErrBadRow) {
				require.ErrorAs(t, err, &re)
				assert.Equal(t, "orders.csv", re.File)
			}
		})
	}
}

func TestReadCSVSkipBadRows(t *testing.T) {
	in := "customer_id,date,amount\n1,2020-01-01,10\n2,2020-01-02,x\n3,2020-01-03\n4,2020-01-04,4\n"
	ev, err := ReadCSV(strings.NewReader(in), "o.csv", &ReadOptions{SkipBadRows: true})
	require.NoError(t, err)
	assert.Equal(t, 2, ev.Len())
	assert.Equal(t, 4, ev.Rows)
	assert.Equal(t, 2, ev.BadRowCount)
	require.Len(t, ev.BadRows, 2)
	assert.Equal(t, 3, ev.BadRows[0].Row)
	assert.Equal(t, "amount", ev.BadRows[0].Column)
	assert.Equal(t, "x", ev.BadRows[0].Value)
	assert.ErrorIs(t, ev.BadRows[1], ErrFieldCount)
	ev, err = ReadCSV(strings.NewReader(in), "o.csv", &ReadOptions{SkipBadRows: true, MaxBadRows: 1})
	require.NoError(t, err)
	assert.Len(t, ev.BadRows, 1)
	assert.Equal(t, 2, ev.BadRowCount)
}

func TestReadCSVMessyButValid(t *testing.T) {
	// BOM, CRLF line ends, quoted fields with commas, quotes and a newline,
	// a missing final line end, spaces around values, kinds in any case and
	// an export's own words, negative purchases as refunds.
	in := "\xEF\xBB\xBFClient,Order Date,Type,Value,Note\r\n" +
		"\"a,1\",20200101,Order,10.5,\"said \"\"hi\"\"\nthen left\"\r\n" +
		" b , 20200102 ,RETURN, 3 ,\r\n" +
		"b,20200103,purchase,-2,x\r\n" +
		"c,20200104,invite,,x"
	ev, err := ReadCSV(strings.NewReader(in), "export.csv", &ReadOptions{
		Columns:    Columns{Customer: "client", Time: "order date", Kind: "type", Amount: "value"},
		TimeLayout: "20060102",
		KindNames:  map[string]Kind{"order": Purchase, "Return": Refund, "INVITE": Referral},
	})
	require.NoError(t, err)
	require.Equal(t, 4, ev.Len())
	assert.Equal(t, []string{"a,1", "b", "b", "c"}, []string{ev.CustomerID(0), ev.CustomerID(1), ev.CustomerID(2), ev.CustomerID(3)})
	assert.Equal(t, []Kind{Purchase, Refund, Refund, Referral}, ev.Kinds())
	assert.Equal(t, []float64{10.5, 3, 2, 0}, ev.Amounts())
	assert.Equal(t, "2020-01-02", ev.Time(1).Format("2006-01-02"))
}

func TestReadGzipAndLayouts(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write([]byte("customer_id,time,amount\n1,2020-01-01T10:00:00Z,1\n2,2020-01-01T11:30:00+02:00,2\n"))
	require.NoError(t, zw.Close())
	ev, err := ReadCSV(&buf, "x.csv.gz", nil)
	require.NoError(t, err)
	require.Equal(t, 2, ev.Len())
	assert.Equal(t, "2020-01-01T09:30:00Z", ev.Time(1).Format("2006-01-02T15:04:05Z07:00"))

	for _, tc := range []struct{ layout, value, want string }{
		{"", "2020-02-03", "2020-02-03T00:00:00Z"},
		{"", "2020-02-03 04:05:06", "2020-02-03T04:05:06Z"},
		{"", "20200203", "2020-02-03T00:00:00Z"},
		{"1/2/2006 15:04", "12/1/2010 8:26", "2010-12-01T08:26:00Z"},
	} {
		got, err := ParseTime(tc.value, tc.layout)
		require.NoError(t, err, tc.value)
		assert.Equal(t, tc.want, got.Format("2006-01-02T15:04:05Z07:00"))
	}
	_, err = ParseTime("2020-02-30", "")
	assert.Error(t, err)
}

// TestFormatsRoundTrip writes events as CSV, Parquet and Arrow IPC and reads
// each back to the same table and the same summary.
func TestFormatsRoundTrip(t *testing.T) {
	score := 7.5
	ev, err := NewEvents([]Event{
		{CustomerID: "a", Time: date("2020-01-01"), Kind: Purchase, Amount: 10, Cost: 4, Quantity: 1},
		{CustomerID: "b", Time: date("2020-01-02"), Kind: Referral, ReferredID: "c"},
		{CustomerID: "c", Time: date("2020-01-03"), Kind: Purchase, Amount: 5},
		{CustomerID: "a", Time: date("2020-01-04"), Kind: Feedback, Score: &score},
		{CustomerID: "a", Time: date("2020-01-05"), Kind: Purchase, Amount: -3},
	})
	require.NoError(t, err)
	dir := t.TempDir()
	want, err := Summarize(context.Background(), ev, nil)
	require.NoError(t, err)
	for _, name := range []string{"e.csv", "e.parquet", "e.arrow"} {
		path := filepath.Join(dir, name)
		require.NoError(t, ev.WriteFile(path))
		back, err := ReadFile(path, nil)
		require.NoError(t, err, name)
		assert.Equal(t, ev.Times(), back.Times(), name)
		assert.Equal(t, ev.Kinds(), back.Kinds(), name)
		assert.Equal(t, ev.Amounts(), back.Amounts(), name)
		assert.Equal(t, ev.Referred(), back.Referred(), name)
		got, err := Summarize(context.Background(), back, nil)
		require.NoError(t, err)
		assert.Equal(t, want, got, name)
	}
	var buf bytes.Buffer
	require.NoError(t, ev.WriteIPC(&buf))
	back, err := ReadIPC(&buf, "stream", nil)
	require.NoError(t, err)
	assert.Equal(t, ev.Amounts(), back.Amounts())
}

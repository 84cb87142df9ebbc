package valuekit

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
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

// TestHostileCSV covers the messy inputs of a real export: each gets a
// clear error naming row, column and value, or a documented handling.
func TestHostileCSV(t *testing.T) {
	read := func(in string, opts *ReadOptions) (*Events, error) {
		return ReadCSV(strings.NewReader(in), "h.csv", opts)
	}
	// header only: an empty table, and summarising it says so
	ev, err := read("customer_id,date,amount\n", nil)
	require.NoError(t, err)
	assert.Equal(t, 0, ev.Len())
	_, err = Summarize(context.Background(), ev, nil)
	assert.ErrorIs(t, err, ErrEmpty)

	// non-UTF-8 customer id
	_, err = read("customer_id,date,amount\nM\xfcller,2020-01-01,1\n", nil)
	assert.EqualError(t, err, `h.csv: row 2, column "customer_id": "M\xfcller" is not valid UTF-8 (save the export as UTF-8)`)

	// dates out of range
	for _, d := range []string{"1899-12-31", "2101-01-01", "0001-01-01"} {
		_, err = read("customer_id,date,amount\n1,"+d+",1\n", nil)
		assert.EqualError(t, err, `h.csv: row 2, column "date": "`+d+`" is outside the supported time range 1900-01-01 to 2100-12-31`)
	}
	ev, err = read("customer_id,date,amount\n1,1900-01-01,1\n1,2100-12-31,1\n", nil)
	require.NoError(t, err)
	assert.Equal(t, 2, ev.Len())

	// ids with commas, quotes, unicode and spaces survive a round trip
	ev, err = read("customer_id,date,amount\n\"a,b\",2020-01-01,1\n\"say \"\"hi\"\"\",2020-01-01,1\n顧客 7,2020-01-01,1\n", nil)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, ev.WriteCSV(&buf))
	back, err := ReadCSV(&buf, "back.csv", nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"a,b", `say "hi"`, "顧客 7"}, []string{back.CustomerID(0), back.CustomerID(1), back.CustomerID(2)})

	// zero and negative amounts: a zero purchase is a purchase, a negative
	// one a refund of the absolute amount
	ev, err = read("customer_id,date,amount\n1,2020-01-01,0\n1,2020-01-02,-5\n", nil)
	require.NoError(t, err)
	assert.Equal(t, []Kind{Purchase, Refund}, ev.Kinds())
	assert.Equal(t, []float64{0, 5}, ev.Amounts())

	// a kind column with an unknown word, skipped and reported
	ev, err = read("customer_id,date,kind,amount\n1,2020-01-01,purchase,1\n1,2020-01-02,wishlist,0\n", &ReadOptions{SkipBadRows: true})
	require.NoError(t, err)
	assert.Equal(t, 1, ev.Len())
	assert.Equal(t, "wishlist", ev.BadRows[0].Value)
}

// TestOneCustomerManyEvents: a customer with a million purchases over a
// year is summarised exactly.
func TestOneCustomerManyEvents(t *testing.T) {
	if testing.Short() {
		t.Skip("large input")
	}
	var b bytes.Buffer
	b.WriteString("customer_id,date,amount\n")
	start := date("2020-01-01")
	for i := range 1_000_000 {
		b.WriteString("whale,")
		b.WriteString(start.AddDate(0, 0, i%366).Format("2006-01-02"))
		b.WriteString(",0.01\n")
	}
	r, err := NewCSVReader(&b, "whale.csv", nil)
	require.NoError(t, err)
	s, _, err := SummarizeReader(context.Background(), r, nil)
	require.NoError(t, err)
	require.Equal(t, 1, s.Len())
	assert.Equal(t, 365.0, s.Frequency[0])
	assert.Equal(t, int32(1_000_000), s.Purchases[0])
	assert.Equal(t, 10000.0, s.Revenue[0]) // exact: money is summed in micro-units
}

// TestEventsRecord: the record's numeric columns are the table's own
// memory (no copy), values and nulls are right, and every buffer built for
// it is released.
func TestEventsRecord(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	score := 9.0
	ev, err := NewEvents([]Event{
		{CustomerID: "a", Time: date("2020-01-01"), Kind: Purchase, Amount: 10, Cost: 4},
		{CustomerID: "b", Time: date("2020-01-02"), Kind: Referral, ReferredID: "c"},
		{CustomerID: "a", Time: date("2020-01-03"), Kind: Feedback, Score: &score},
	})
	require.NoError(t, err)
	rec := ev.Record(mem)
	defer rec.Release()
	require.EqualValues(t, 3, rec.NumRows())
	assert.Equal(t, []string{"customer_id", "time", "kind", "amount", "cost", "referred_id", "score"}, func() []string {
		var n []string
		for _, f := range rec.Schema().Fields() {
			n = append(n, f.Name)
		}
		return n
	}())
	amount := rec.Column(3).(*array.Float64)
	assert.Same(t, &ev.Amounts()[0], &amount.Float64Values()[0], "amount is not copied")
	kinds := rec.Column(2).(*array.Dictionary)
	assert.Equal(t, "referral", kinds.Dictionary().(*array.String).Value(kinds.GetValueIndex(1)))
	ref := rec.Column(5).(*array.Dictionary)
	assert.True(t, ref.IsNull(0))
	assert.Equal(t, "c", ref.Dictionary().(*array.String).Value(ref.GetValueIndex(1)))
	sc := rec.Column(6).(*array.Float64)
	assert.Equal(t, 2, sc.NullN())
	assert.Equal(t, 9.0, sc.Value(2))
}

// TestSummaryRecord: the summary's Arrow record has the output columns,
// nulls where a value is missing, and releases everything it allocates.
func TestSummaryRecord(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	score := 7.0
	ev, err := NewEvents([]Event{
		{CustomerID: "a", Time: date("2020-01-01"), Kind: Purchase, Amount: 10},
		{CustomerID: "b", Time: date("2020-01-02"), Kind: Feedback, Score: &score},
	})
	require.NoError(t, err)
	s, err := Summarize(context.Background(), ev, nil)
	require.NoError(t, err)
	rec := TableRecord(s.Table(), mem)
	defer rec.Release()
	require.Equal(t, s.Columns(), func() []string {
		var n []string
		for _, f := range rec.Schema().Fields() {
			n = append(n, f.Name)
		}
		return n
	}())
	idx := rec.Schema().FieldIndices("first_purchase")[0]
	assert.True(t, rec.Column(idx).IsNull(1), "b made no purchase")
	idx = rec.Schema().FieldIndices("experience")[0]
	assert.True(t, rec.Column(idx).IsNull(0), "a gave no score")
	assert.Equal(t, 7.0, rec.Column(idx).(*array.Float64).Value(1))
}

// An amount too large to sum exactly is a bad row, named like any other
// (file, row, line, column, value), so that SkipBadRows skips it; it once
// reached the accumulator, whose message named an event of a batch, and
// the cohort tables, which summed it into an overflowing integer.
func TestReadRefusesAmountTooLarge(t *testing.T) {
	data := "customer_id,date,amount\na,2024-01-01,10\nb,2024-01-02,1e13\nc,2024-01-03,-2e13\nd,2024-01-04,9e12\n"
	_, err := ReadCSV(strings.NewReader(data), "big.csv", nil)
	var rerr *RowError
	require.ErrorAs(t, err, &rerr)
	assert.Equal(t, `big.csv: row 3, column "amount": "1e13" is too large to sum exactly (at most 9e12 in absolute value)`, err.Error())
	ev, err := ReadCSV(strings.NewReader(data), "big.csv", &ReadOptions{SkipBadRows: true})
	require.NoError(t, err)
	assert.Equal(t, 2, ev.Len(), "a and d (9e12 is within the limit)")
	assert.Equal(t, 2, ev.BadRowCount)
	// Costs, quantities and scores are summed in micro-units too (a cost
	// of 1e14 summarised as -9223372036853.775).
	for _, col := range []string{"cost", "quantity", "score"} {
		_, err := ReadCSV(strings.NewReader("customer_id,date,amount,"+col+"\na,2024-01-01,5,1e14\n"), "c.csv", nil)
		require.Error(t, err, col)
		assert.Contains(t, err.Error(), `column "`+col+`": "1e14" is too large to sum exactly`)
	}
}

// A broken quote is an error even with SkipBadRows: an unterminated quote
// takes the rest of the input into one field, and skipping it as "1 bad
// row" lost 98 % of a file without another word.
func TestSkipBadRowsStopsAtABrokenQuote(t *testing.T) {
	for name, data := range map[string]string{
		"unterminated": "customer_id,date,amount\n1,2020-01-01,1\n\"2,2020-01-02,2\n3,2020-01-03,3\n4,2020-01-04,4\n",
		"bare":         "customer_id,date,amount\n1,2020-01-01,1\n\"2\"x,2020-01-02,2\n3,2020-01-03,3\n",
	} {
		_, err := ReadCSV(strings.NewReader(data), "q.csv", &ReadOptions{SkipBadRows: true})
		require.ErrorIs(t, err, ErrBadRow, name)
		assert.Contains(t, err.Error(), "q.csv: row 3: bare or unterminated quote", name)
		assert.Contains(t, err.Error(), "cannot be skipped", name)
	}
}

// Go's own number syntax is not an amount: "0x1p3" was read as 8 and
// "1_000" as 1000.
func TestReadRefusesGoNumberSyntax(t *testing.T) {
	for _, amount := range []string{"0x1p3", "1_000", "0X10", "1p3"} {
		_, err := ReadCSV(strings.NewReader("customer_id,date,amount\na,2024-01-01,"+amount+"\n"), "n.csv", nil)
		require.Error(t, err, amount)
		assert.Contains(t, err.Error(), `"`+amount+`" is not a number`)
	}
	ev, err := ReadCSV(strings.NewReader("customer_id,date,amount\na,2024-01-01,1e3\nb,2024-01-01,-2.5E-1\nc,2024-01-01,+7\n"), "n.csv", nil)
	require.NoError(t, err)
	assert.Equal(t, []float64{1000, 0.25, 7}, ev.Amounts())
}

// A required column whose name another mapping took says which (it said
// "no time column (looked for … "date" …; the header has … "date" …)").
func TestMissingColumnTakenByAnother(t *testing.T) {
	data := "customer_id,date,amount\na,2024-01-01,1\n"
	_, err := ReadCSV(strings.NewReader(data), "m.csv", &ReadOptions{Columns: Columns{Amount: "date"}})
	require.ErrorIs(t, err, ErrMissingColumn)
	assert.Equal(t, `m.csv: missing column: no time column: "date" is mapped to amount (Columns.Amount, --amount); name the time column (Columns.Time, --time)`, err.Error())
	_, err = ReadCSV(strings.NewReader("a,b\n1,2\n"), "m.csv", nil)
	require.ErrorIs(t, err, ErrMissingColumn)
	assert.Contains(t, err.Error(), "name it with Columns.Customer, --customer in the CLI")
}

// ReadFileContext stops with the context's error; with a live context it
// reads what ReadFile reads, batch after batch.
func TestReadFileContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := ReadFileContext(ctx, "testdata/cdnow_sample.csv", nil)
	require.ErrorIs(t, err, context.Canceled)
	want, err := ReadFile("testdata/cdnow_sample.csv", &ReadOptions{BatchSize: 1 << 20})
	require.NoError(t, err)
	got, err := ReadFileContext(context.Background(), "testdata/cdnow_sample.csv", &ReadOptions{BatchSize: 1000})
	require.NoError(t, err)
	assert.Equal(t, want.Amounts(), got.Amounts())
	assert.Equal(t, want.Times(), got.Times())
	assert.Equal(t, want.Rows, got.Rows)
}

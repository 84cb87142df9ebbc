package valuekit

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"
)

// The binary form of an Accumulator, for moving per-customer state between
// processes (a distributed pipeline's shuffle, a service's snapshot). It
// holds the state's meaning, not its memory layout: the options, the
// counters, every customer id, and per customer with events its purchase
// days, first and last purchase, sums in micro-units, referred customers
// and side sums. Integers are varints.
const accMagic = "VKACC1"

// errAccCorrupt is wrapped by UnmarshalBinary errors.
var errAccCorrupt = errors.New("corrupt accumulator encoding")

// side sums in encoding order.
func (a *Accumulator) sides64() []*sideColumn[int64] {
	return []*sideColumn[int64]{&a.holdoutRevenue, &a.refunds, &a.cost, &a.quantity, &a.scoreSum}
}

func (a *Accumulator) sides32() []*sideColumn[int32] {
	return []*sideColumn[int32]{&a.referrals, &a.shares, &a.scoreCount}
}

// referredOf returns the codes of the customers cs referred.
func (a *Accumulator) referredOf(cs *customerState) []int32 {
	if cs.more == 0 {
		return nil
	}
	return a.pool.list(a.moreAt(cs.more).referred)
}

// addReferred records that cs referred customer r.
func (a *Accumulator) addReferred(cs *customerState, r int32) {
	mr := a.moreOf(cs)
	a.pool.push(&mr.referred, r)
	a.hasReferred = true
}

// MarshalBinary implements encoding.BinaryMarshaler. Unmarshalling the
// result gives an accumulator that summarises, merges and encodes exactly
// as a does.
func (a *Accumulator) MarshalBinary() ([]byte, error) {
	b := []byte(accMagic)
	b = binary.AppendUvarint(b, uint64(a.opts.Unit))
	for _, t := range []time.Time{a.opts.End, a.opts.CalibrationEnd} {
		if t.IsZero() {
			b = append(b, 0)
		} else {
			b = append(b, 1)
			b = binary.AppendVarint(b, t.UnixMicro())
		}
	}
	b = binary.AppendUvarint(b, math.Float64bits(a.opts.Margin))
	b = binary.AppendVarint(b, a.maxDay)
	b = binary.AppendUvarint(b, uint64(a.events))
	b = binary.AppendUvarint(b, uint64(a.afterEnd))
	var flags byte
	for k, f := range []bool{a.hasCost, a.hasQuantity, a.hasScore} {
		if f {
			flags |= 1 << k
		}
	}
	b = append(b, flags)

	// Every id (referred customers may have no events), then the state of
	// each.
	n := a.dict.Len()
	b = binary.AppendUvarint(b, uint64(n))
	for c := range int32(n) {
		id := a.dict.ID(c)
		b = binary.AppendUvarint(b, uint64(len(id)))
		b = append(b, id...)
	}
	for c := range int32(n) {
		if int(c) >= a.n || !a.cust(c).seen {
			b = append(b, 0)
			continue
		}
		cs := a.cust(c)
		b = append(b, 1)
		b = binary.AppendUvarint(b, uint64(cs.purchases))
		if cs.purchases > 0 {
			b = binary.AppendVarint(b, cs.first)
			b = binary.AppendVarint(b, cs.last)
			b = binary.AppendVarint(b, int64(cs.firstDay))
			b = binary.AppendVarint(b, cs.firstAmt)
		}
		b = binary.AppendVarint(b, cs.revenue)
		days := a.daysOf(cs)
		b = binary.AppendUvarint(b, uint64(len(days)))
		prev := int64(0)
		for _, d := range days {
			b = binary.AppendVarint(b, int64(d)-prev) // sorted: small deltas
			prev = int64(d)
		}
		ref := a.referredOf(cs)
		b = binary.AppendUvarint(b, uint64(len(ref)))
		for _, r := range ref {
			b = binary.AppendUvarint(b, uint64(r))
		}
		for _, s := range a.sides64() {
			b = binary.AppendVarint(b, s.get(c))
		}
		for _, s := range a.sides32() {
			b = binary.AppendVarint(b, int64(s.get(c)))
		}
	}
	return b, nil
}

// accDecoder reads the varints of an encoding, remembering the first
// error.
type accDecoder struct {
	b   []byte
	err error
}

func (d *accDecoder) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: %s", errAccCorrupt, what)
	}
}

func (d *accDecoder) uvarint(what string) uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail(what)
		d.b = nil
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *accDecoder) varint(what string) int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail(what)
		d.b = nil
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *accDecoder) byte1(what string) byte {
	if len(d.b) == 0 {
		d.fail(what)
		return 0
	}
	v := d.b[0]
	d.b = d.b[1:]
	return v
}

// count reads a length that must fit in what is left, each item taking at
// least one byte.
func (d *accDecoder) count(what string) int {
	v := d.uvarint(what)
	if v > uint64(len(d.b)) {
		d.fail(what + " longer than the input")
		return 0
	}
	return int(v)
}

// UnmarshalBinary implements encoding.BinaryUnmarshaler, replacing the
// accumulator's state (and options) with the encoded one. A corrupt or
// truncated input is an error, never a panic.
func (a *Accumulator) UnmarshalBinary(data []byte) error {
	if len(data) < len(accMagic) || string(data[:len(accMagic)]) != accMagic {
		return fmt.Errorf("%w: not a valuekit accumulator", errAccCorrupt)
	}
	d := &accDecoder{b: data[len(accMagic):]}
	var opts SummaryOptions
	opts.Unit = Unit(d.uvarint("unit"))
	for _, t := range []*time.Time{&opts.End, &opts.CalibrationEnd} {
		if d.byte1("end") == 1 {
			*t = time.UnixMicro(d.varint("end")).UTC()
		}
	}
	opts.Margin = math.Float64frombits(d.uvarint("margin"))
	if d.err != nil {
		return d.err
	}
	x, err := NewAccumulator(&opts)
	if err != nil {
		return fmt.Errorf("%w: %w", errAccCorrupt, err)
	}
	x.maxDay = d.varint("max day")
	x.events = int(d.uvarint("events"))
	x.afterEnd = int(d.uvarint("after end"))
	flags := d.byte1("flags")
	x.hasCost, x.hasQuantity, x.hasScore = flags&1 != 0, flags&2 != 0, flags&4 != 0

	n := d.count("customers")
	for range n {
		l := d.count("id")
		if d.err != nil {
			return d.err
		}
		id := string(d.b[:l])
		d.b = d.b[l:]
		if c := x.code(id); int(c) != x.dict.Len()-1 {
			return fmt.Errorf("%w: customer %q twice", errAccCorrupt, id)
		}
	}
	for c := range int32(n) {
		if d.err != nil {
			return d.err
		}
		if d.byte1("seen") == 0 {
			continue
		}
		cs := x.cust(c)
		cs.seen = true
		p := d.uvarint("purchases")
		if p > math.MaxInt32 {
			d.fail("purchases")
		}
		cs.purchases = int32(p)
		if cs.purchases > 0 {
			cs.first, cs.last = d.varint("first"), d.varint("last")
			fd := d.varint("first day")
			if fd < math.MinInt32 || fd > math.MaxInt32 {
				d.fail("first day")
			}
			cs.firstDay, cs.firstAmt = int32(fd), d.varint("first amount")
		}
		cs.revenue = d.varint("revenue")
		nd := d.count("days")
		prev := int64(0)
		for range nd {
			day := prev + d.varint("day")
			if day < math.MinInt32 || day > math.MaxInt32 || (cs.nDays > 0 && day <= prev) {
				d.fail("days not increasing")
				return d.err
			}
			x.addDay(cs, int32(day))
			prev = day
		}
		nr := d.count("referred")
		for range nr {
			r := d.uvarint("referred")
			if r >= uint64(n) {
				d.fail("referred customer out of range")
				return d.err
			}
			x.addReferred(cs, int32(r))
		}
		for _, s := range x.sides64() {
			if v := d.varint("sum"); v != 0 {
				*s.at(c) = v
			}
		}
		for _, s := range x.sides32() {
			if v := d.varint("count"); v != 0 {
				if v < math.MinInt32 || v > math.MaxInt32 {
					d.fail("count")
				}
				*s.at(c) = int32(v)
			}
		}
	}
	if d.err != nil {
		return d.err
	}
	if len(d.b) != 0 {
		return fmt.Errorf("%w: %d bytes after the end", errAccCorrupt, len(d.b))
	}
	*a = *x
	return nil
}

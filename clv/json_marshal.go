package clv

import (
	"bytes"
	"fmt"
)

// Every model marshals to JSON as SaveModel writes it (parameters, fit
// statistics, standard errors, covariance; non-finite values as null) and
// unmarshals what LoadModel reads, so json.Marshal of a fitted model — alone
// or inside a caller's struct — loses nothing and reads back with
// LoadModel.

// MarshalJSON implements json.Marshaler with SaveModel's schema.
func (m *BGNBD) MarshalJSON() ([]byte, error) { return marshalModel(m) }

// UnmarshalJSON implements json.Unmarshaler with LoadModel's schema.
func (m *BGNBD) UnmarshalJSON(b []byte) error { return unmarshalModel(b, m) }

// MarshalJSON implements json.Marshaler with SaveModel's schema.
func (m *ParetoNBD) MarshalJSON() ([]byte, error) { return marshalModel(m) }

// UnmarshalJSON implements json.Unmarshaler with LoadModel's schema.
func (m *ParetoNBD) UnmarshalJSON(b []byte) error { return unmarshalModel(b, m) }

// MarshalJSON implements json.Marshaler with SaveModel's schema.
func (m *MBGNBD) MarshalJSON() ([]byte, error) { return marshalModel(m) }

// UnmarshalJSON implements json.Unmarshaler with LoadModel's schema.
func (m *MBGNBD) UnmarshalJSON(b []byte) error { return unmarshalModel(b, m) }

// MarshalJSON implements json.Marshaler with SaveModel's schema.
func (m *BGBB) MarshalJSON() ([]byte, error) { return marshalModel(m) }

// UnmarshalJSON implements json.Unmarshaler with LoadModel's schema.
func (m *BGBB) UnmarshalJSON(b []byte) error { return unmarshalModel(b, m) }

// MarshalJSON implements json.Marshaler with SaveModel's schema.
func (m *SBG) MarshalJSON() ([]byte, error) { return marshalModel(m) }

// UnmarshalJSON implements json.Unmarshaler with LoadModel's schema.
func (m *SBG) UnmarshalJSON(b []byte) error { return unmarshalModel(b, m) }

// MarshalJSON implements json.Marshaler with SaveModel's schema.
func (m *GammaGamma) MarshalJSON() ([]byte, error) { return marshalModel(m) }

// UnmarshalJSON implements json.Unmarshaler with LoadModel's schema.
func (m *GammaGamma) UnmarshalJSON(b []byte) error { return unmarshalModel(b, m) }

func marshalModel(m Model) ([]byte, error) {
	var b bytes.Buffer
	if err := SaveModel(&b, m); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// unmarshalModel loads b into *dst, which must be the model kind b holds.
func unmarshalModel[T any, PT interface {
	*T
	Model
}](b []byte, dst PT) error {
	m, err := LoadModel(bytes.NewReader(b))
	if err != nil {
		return err
	}
	src, ok := m.(PT)
	if !ok {
		return fmt.Errorf("%w: the JSON holds a %s model, not a %s one", ErrBadParams, m.Name(), dst.Name())
	}
	*dst = *src
	return nil
}

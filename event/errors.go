package event

import "errors"

// ErrOption reports an invalid option value (an unknown unit name, …). The
// root package's valuekit.ErrOption is this same value, so errors.Is
// matches either.
var ErrOption = errors.New("invalid option")

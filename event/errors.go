package event

import "errors"

// ErrOption reports an invalid option value (an unknown unit name, …). The
// root package's valuekit.ErrOption is this same value, so errors.Is
// matches either.
var ErrOption = errors.New("invalid option")

// ErrDuplicateColumn reports two columns with the same name, in a file's
// header or in an output table. The root package's
// valuekit.ErrDuplicateColumn is this same value.
var ErrDuplicateColumn = errors.New("duplicate column")

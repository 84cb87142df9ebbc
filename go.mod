module github.com/valuekit/valuekit

go 1.24.0

require (
	github.com/apache/arrow/go/v15 v15.0.2 // indirect
	github.com/stretchr/testify v1.12.1 // indirect
	gonum.org/v1/gonum v0.17.0 // indirect
)

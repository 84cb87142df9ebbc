package segment

import "fmt"

// Assignment places every customer in exactly one named class. It is the
// common output of the classifiers in this package (Grid.Classify, Tiers) and
// of rfm, and the input of NewPortfolio and Migrate.
type Assignment struct {
	// Names are the class names; Class values index into it. Names are
	// distinct. A class may have no customers.
	Names []string
	// Class holds one class index per customer, in input order.
	Class []int32
}

// Len returns the number of customers.
func (a Assignment) Len() int { return len(a.Class) }

// Name returns the class name of customer i.
func (a Assignment) Name(i int) string { return a.Names[a.Class[i]] }

// Counts returns the number of customers in each class, indexed like Names.
func (a Assignment) Counts() []int {
	c := make([]int, len(a.Names))
	for _, k := range a.Class {
		c[k]++
	}
	return c
}

// Index returns the index of the class called name, or −1.
func (a Assignment) Index(name string) int {
	for i, n := range a.Names {
		if n == name {
			return i
		}
	}
	return -1
}

// Validate reports whether the names are distinct and every class index is
// within Names.
func (a Assignment) Validate() error {
	seen := make(map[string]bool, len(a.Names))
	for _, n := range a.Names {
		if seen[n] {
			return optionError("class name %q occurs twice", n)
		}
		seen[n] = true
	}
	for i, k := range a.Class {
		if k < 0 || int(k) >= len(a.Names) {
			return fmt.Errorf("segment: Class[%d] = %d is not an index into %d names: %w", i, k, len(a.Names), ErrOutOfRange)
		}
	}
	return nil
}

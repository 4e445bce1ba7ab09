package apimap

// each maps a slice element by element; nil stays nil and empty stays
// empty, so that null and [] stay apart on the wire.
func each[T, U any](in []T, f func(T) U) []U {
	if in == nil {
		return nil
	}
	out := make([]U, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}

// convert maps a slice of one integer type to another the same way.
func convert[T, U ~int | ~int64](in []T) []U {
	return each(in, func(v T) U { return U(v) })
}

// eachValue maps a map's values; nil stays nil and empty stays empty.
func eachValue[K comparable, T, U any](in map[K]T, f func(T) U) map[K]U {
	if in == nil {
		return nil
	}
	out := make(map[K]U, len(in))
	for k, v := range in {
		out[k] = f(v)
	}
	return out
}

// ptr maps what p points to; nil stays nil.
func ptr[T, U any](p *T, f func(T) U) *U {
	if p == nil {
		return nil
	}
	v := f(*p)
	return &v
}

package pos

import "context"

// OperatorName returns the name of the operator with the given ID, for
// screens that show who opened a shift or parked a sale; the ID itself when
// the operator is not in the store (an operator since deleted).
func (r *Register) OperatorName(ctx context.Context, id string) string {
	if id == "" {
		return ""
	}
	op, err := r.store.Operator(ctx, id)
	if err != nil || op.Name == "" {
		return id
	}
	return op.Name
}

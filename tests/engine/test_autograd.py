"""Differential tests of autograd: gradients of every differentiable op, grad_fn names and the
`next_functions` graph, backward(gradient=...)/retain_graph, accumulation, retain_grad, the
non-leaf .grad warning, autograd's errors (second backward, version counter, in-place on
leaves), in-place ops on views and non-leaves (CopySlices / AsStridedBackward0), grad modes,
torch.autograd.grad / Variable, and a few nn / optim training steps.

Cases run once with real torch and once with playground.torch; oracle.describe() of what they
return covers each tensor's grad_fn graph and, for leaves, their .grad.
"""
import pytest

from oracle import Registry, check_case

cases = Registry("autograd")
add = cases.add

# =============================================================================================
# the gradient of each op: y = op(x); y.backward(fixed weights); compare y (graph) and x.grad

GRAD_OPS = {
    "exp": "x.exp()", "log": "p.log()", "sqrt": "p.sqrt()", "sin": "x.sin()", "cos": "x.cos()",
    "tanh": "x.tanh()", "sigmoid": "x.sigmoid()", "relu": "x.relu()", "abs": "x.abs()",
    "neg": "-x", "pow_2": "x ** 2", "pow_half": "p ** 0.5", "pow_neg": "p ** -1.5",
    "rpow": "2 ** x", "pow_tensor": "p ** x", "torch_pow": "torch.pow(x, 3)",
    "clamp_both": "x.clamp(-0.5, 1.0)", "clamp_min": "x.clamp(min=0)",
    "clamp_tensor": "x.clamp(min=torch.zeros(3))",
    "add_scalar": "x + 1", "add_self": "x + x", "sub_rsub": "2 - x", "mul_scalar": "x * 3",
    "mul_self": "x * x", "mul_const_tensor": "x * torch.tensor([1.0, 2.0, 3.0])",
    "div_scalar": "x / 3", "rdiv": "1 / p", "div_tensors": "x / p",
    "sum": "x.sum()", "sum_dim": "x.sum(1)", "sum_keepdim": "x.sum(0, keepdim=True)",
    "sum_dims": "x.sum((0, 1))", "mean": "x.mean()", "mean_dim": "x.mean(-1)",
    "prod": "x.prod()", "prod_dim": "x.prod(1)", "max": "x.max()", "min": "x.min()",
    "max_dim": "x.max(1).values", "min_dim_keepdim": "x.min(0, keepdim=True)[0]",
    "std": "x.std()", "std_dim": "x.std(1)", "var_keepdim": "x.var(0, keepdim=True)",
    "var_unbiased_false": "x.var(unbiased=False)", "norm": "x.norm()", "norm_dim": "x.norm(dim=1)",
    "norm_p1": "x.norm(p=1)", "norm_inf": "x.norm(p=float('inf'))",
    "softmax": "x.softmax(1)", "log_softmax": "x.log_softmax(0)",
    "logsumexp": "torch.logsumexp(x, 1)",
    "view": "x.view(-1)", "view_3d": "x.view(3, 1, 2)", "reshape": "x.reshape(3, 2)",
    "reshape_copy": "x.t().reshape(-1)", "t": "x.t()", "transpose": "x.transpose(0, 1)",
    "T": "x.T", "permute": "x.unsqueeze(0).permute(2, 0, 1)", "expand": "x[:, :1].expand(2, 4)",
    "unsqueeze": "x.unsqueeze(0)", "squeeze": "x.unsqueeze(1).squeeze(1)", "flatten": "x.flatten()",
    "narrow": "x.narrow(1, 1, 2)", "select": "x[1]", "select_scalar": "x[1, 2]",
    "slice": "x[:, 1:]", "slice_step": "x[:, ::2]", "index_list": "x[[0, 0, 1]]",
    "index_tensor_2d": "x[[0, 1], [2, 0]]", "index_mask": "x[x > 0]", "index_none": "x[None]",
    "index_mixed": "x[1:, [0, 2]]", "cat": "torch.cat([x, x * 2], 1)",
    "cat_dim0": "torch.cat([x, p])", "stack": "torch.stack([x, p], 1)", "clone": "x.clone()",
    "contiguous": "x.t().contiguous()", "where": "torch.where(x > 0, x, x * x)",
    "where_scalar": "torch.where(x > 0, x, 0.0)", "masked_fill": "x.masked_fill(x > 0, 0.0)",
    "mm": "x @ torch.tensor([[1.0, 0.5], [-1.0, 2.0], [0.0, 1.0]])", "mm_self": "x @ p.t()",
    "mv": "x @ torch.tensor([1.0, -2.0, 0.5])", "dot": "x[0] @ p[1]",
    "vec_mat": "torch.tensor([1.0, -1.0]) @ x",
    "bmm": "torch.bmm(x.unsqueeze(0), p.t().unsqueeze(0))",
    "matmul_3d_2d": "x.expand(4, 2, 3) @ p.t()",
    "matmul_batched": "x.unsqueeze(0) @ p.t().expand(2, 3, 2)",
    "to_double": "x.double() * 2", "to_half": "x.half().float()", "maximum": "torch.maximum(x, p)",
    "minimum": "torch.minimum(x, p - 1)", "unbind": "x.unbind(1)[1]", "split": "x.split(2, 1)[1]",
    "chunk": "x.chunk(3, 1)[2]", "cumsum": "x.cumsum(1)", "flip": "x.flip(0)",
    "repeat": "x.repeat(2, 1)", "amax": "x.amax(1)", "mse_like": "((x - p) ** 2).mean()",
    "square": "torch.square(x)", "trace": "torch.trace(x @ p.t())",
}

for _name, _expr in GRAD_OPS.items():
    cases.source(f"grad_{_name}", f"""
        def grad_case(torch):
            x = torch.tensor([[0.5, -1.2, 2.0], [1.5, 0.25, -0.75]], requires_grad=True)
            p = torch.tensor([[0.3, 1.1, 2.5], [0.8, 1.9, 0.6]], requires_grad=True)
            y = {_expr}
            g = torch.linspace(-1.0, 2.0, y.numel()).reshape(y.shape)
            y.backward(g)
            return y, x, p
        """, web=_name in ("exp", "sigmoid", "sum_dim", "mm", "index_list", "cat", "view",
                           "softmax", "where", "max_dim", "std", "expand"))


# =============================================================================================
# backward and its arguments


@add(web=True)
def chain_rule(torch):
    x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
    y = (x * 2 + 1).pow(2).sum()
    y.backward()
    return y, x


@add(web=True)
def broadcasting_gradients(torch):
    a = torch.tensor([[1.0], [2.0], [3.0]], requires_grad=True)
    b = torch.tensor([[1.0, -1.0, 0.5, 2.0]], requires_grad=True)
    c = torch.tensor([0.5, 1.5, -2.0, 1.0], requires_grad=True)
    s = torch.tensor(2.0, requires_grad=True)
    y = (a + b) * c - s * a
    y.sum().backward()
    return y, a, b, c, s


@add
def broadcasting_gradients_leading_dims(torch):
    a = torch.tensor([[[1.0, 2.0]]], requires_grad=True)    # (1, 1, 2)
    b = torch.tensor([[3.0], [4.0], [5.0]], requires_grad=True)  # (3, 1)
    y = a * b
    y.backward(torch.ones(1, 3, 2))
    return y, a, b


@add(web=True)
def vector_jacobian_product(torch):
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * x
    y.backward(gradient=torch.tensor([1.0, 0.1, 0.01]))
    return y, x


@add
def backward_gradient_positional(torch):
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    y = x.exp()
    y.backward(torch.tensor([[1.0, 0.0], [0.0, 1.0]]))
    return x


@add
def backward_single_element_non_scalar(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x.sum(0, keepdim=True)
    y.backward()
    return y, x


@add(web=True)
def retain_graph_twice(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    first = x.grad.clone()
    y.backward()
    return first, x


@add(web=True)
def accumulation_across_backward_calls(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    (x * 2).sum().backward()
    g1 = x.grad
    (x * 3).sum().backward()
    return x, g1 is x.grad, x.grad._version


@add
def grad_reset_between_calls(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    (x * 2).sum().backward()
    x.grad.zero_()
    (x * x).sum().backward()
    a = x.grad.clone()
    x.grad = None
    (x ** 3).sum().backward()
    return a, x


@add
def leaf_used_twice(torch):
    x = torch.tensor([1.0, -1.0, 2.0], requires_grad=True)
    y = x * x + x + x.sin() * x
    y.sum().backward()
    return y, x


@add
def no_error_second_backward_without_saved_tensors(torch):
    # torch only refuses a second backward through nodes that saved tensors
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    for y in [(x + 1).sum(), (x - 3).sum(), x.view(2, 1).t().sum(), x[0] + x[1:].sum(),
              torch.cat([x, x]).sum(), (x + x).mean(), (-x).sum()]:
        y.backward()
        y.backward()
    return x


@add
def backward_on_function_api(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    z = x.sum() * 2
    torch.autograd.backward([y, z], [torch.ones(2), torch.tensor(1.0)])
    return x


@add
def gradient_dtypes_follow_leaves(torch):
    d = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    f = torch.tensor([3.0, 4.0], requires_grad=True)
    y = (d.float() * f).sum() + (f.double() * d).sum()
    y.backward()
    i = torch.tensor([1, 2])
    z = (f * i).sum()
    z.backward()
    return y, d, f


@add
def detach_stops_gradient(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x.detach() * 2 + x * x.detach()
    y.sum().backward()
    return y, x, x.detach().requires_grad


@add
def requires_grad_propagation(torch):
    x = torch.tensor([1.0, 2.0])
    w = torch.tensor([0.5, 0.5], requires_grad=True)
    y = x + w
    z = x * 2
    return (y.requires_grad, z.requires_grad, (y > 1).requires_grad, y.argmax().requires_grad,
            y.max(0).indices.requires_grad, (y * 0).requires_grad, y.detach().grad_fn)


@add
def gradients_at_kinks(torch):
    x = torch.tensor([0.0, -1.0, 1.0, 2.0], requires_grad=True)
    y = x.relu().sum() + x.abs().sum() + x.clamp(0.0, 1.0).sum() + x.clamp(min=-1.0).sum()
    y.backward()
    return x


@add
def gradient_of_max_with_ties(torch):
    x = torch.tensor([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]], requires_grad=True)
    y = x.max() + x.max(1).values.sum() + x.min(0)[0].sum() + x.amax(1).sum()
    y.backward()
    return x


@add
def gradients_at_zero(torch):
    x = torch.tensor([0.0, 0.0, 4.0], requires_grad=True)
    y = x.norm()
    z = torch.zeros(3, requires_grad=True)
    n = z.norm()
    n.backward()
    y.backward()
    s = torch.tensor([0.0, 1.0], requires_grad=True)
    s.sqrt().sum().backward()
    q = torch.tensor([0.0, 2.0], requires_grad=True)
    (q ** 2.0).sum().backward()
    return x, z, s, q


@add
def prod_gradient_with_zeros(torch):
    x = torch.tensor([[2.0, 0.0, 3.0], [0.0, 0.0, 1.0], [1.0, 2.0, 4.0]], requires_grad=True)
    y = x.prod(1).sum() + x.prod()
    y.backward()
    return x


@add
def index_gradients_accumulate(torch):
    x = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    y = x[[0, 0, 1, 3, 3, 3]].sum() + x[x > 2].sum() + x[1:3].sum() + x[-1]
    y.backward()
    return y, x


@add
def pow_tensor_exponent_at_zero_base(torch):
    b = torch.tensor([0.0, 0.0, 2.0], requires_grad=True)
    e = torch.tensor([2.0, 0.0, 3.0], requires_grad=True)
    y = b ** e
    y.sum().backward()
    return y, b, e


@add
def where_and_masked_gradients(torch):
    x = torch.tensor([-1.0, 2.0, -3.0], requires_grad=True)
    w = torch.tensor([10.0, 20.0, 30.0], requires_grad=True)
    y = torch.where(x > 0, x * 2, w)
    y.sum().backward()
    return y, x, w


@add
def softmax_cross_entropy_by_hand(torch):
    logits = torch.tensor([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0]], requires_grad=True)
    target = torch.tensor([0, 1])
    logp = logits.log_softmax(dim=1)
    loss = -logp[torch.arange(2), target].mean()
    loss.backward()
    return loss, logits


# =============================================================================================
# grad_fn names and the graph


@add(web=True)
def next_functions_structure(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    c = torch.tensor([3.0, 4.0])
    y = x * c + x
    z = y.sum()
    acc = z.grad_fn.next_functions[0][0].next_functions[0][0].next_functions[0][0]
    return (z.grad_fn.name(), z.grad_fn.next_functions, y.grad_fn.next_functions,
            acc.name(), acc.variable is x, acc.next_functions, x.grad_fn)


@add
def graph_of_linear_layer_math(torch):
    x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    w = torch.tensor([[0.1, 0.2, 0.3], [-0.1, 0.0, 0.5]], requires_grad=True)
    b = torch.tensor([0.5, -0.5], requires_grad=True)
    y = x @ w.t() + b
    z = torch.nn.functional.linear(x, w, b)
    return y, z, y.grad_fn.next_functions


@add
def graph_of_scalar_ops(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    return 2 - x, 2 / x, 2 ** x, x - 2, x / 2, x ** 2, 1 + x, x.mean(), -x


@add
def shared_accumulate_grad_node(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    a = x * 2
    b = x * 3
    return a.grad_fn.next_functions[0][0] is b.grad_fn.next_functions[0][0]


@add
def graph_of_multi_output_ops(torch):
    x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    u = x.unbind(1)
    s = x.split(2, dim=1)
    return u, s, u[2].grad_fn.name(), s[1].grad_fn.name()


# =============================================================================================
# retain_grad and the non-leaf .grad warning


@add(web=True)
def retain_grad_on_non_leaf(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.retain_grad()
    z = (y * y).sum()
    z.backward()
    return y, x, y.retains_grad, x.retains_grad


@add(web=True)
def non_leaf_grad_warns(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.sum().backward()
    return y.grad


@add
def retain_grad_on_leaf_is_noop(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    x.retain_grad()
    (x * 2).sum().backward()
    return x, x.retains_grad


@add
def retain_grad_accumulates(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.retain_grad()
    z = y.sum()
    z.backward(retain_graph=True)
    z.backward()
    return y, x


# =============================================================================================
# autograd's errors


ERRORS = {
    "backward_non_scalar": """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        (x * 2).backward()
        """,
    "backward_without_grad": "torch.tensor([1.0, 2.0]).sum().backward()",
    "backward_second_time": """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = (x * x).sum()
        y.backward()
        y.backward()
        """,
    "backward_second_time_through_exp": """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = x.exp()
        y.sum().backward()
        y.sum().backward()
        """,
    "backward_second_time_scalar_mul": """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = (x * 2).sum()
        y.backward()
        y.backward()
        """,
    "version_counter_mul_by_own_detach": """
        x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x * 2
        y.mul_(y.detach())
        y.sum().backward()
        """,
    "backward_gradient_shape_mismatch": """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        (x * 2).backward(torch.ones(3))
        """,
    "leaf_inplace": """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        x.add_(1)
        """,
    "leaf_iadd": """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        x += 1
        """,
    "leaf_setitem": """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        x[0] = 5.0
        """,
    "view_of_leaf_inplace": """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        x[0].mul_(2)
        """,
    "view_of_leaf_zero_": """
        x = torch.tensor([[1.0, 2.0]], requires_grad=True)
        x.view(2).zero_()
        """,
    "version_counter_exp_output": """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = x.exp()
        y.add_(1)
        y.sum().backward()
        """,
    "version_counter_mul_input": """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        a = x * 1
        b = a * a
        a.mul_(2)
        b.sum().backward()
        """,
    "version_counter_sigmoid": """
        x = torch.tensor([[1.0, 2.0]], requires_grad=True)
        y = x.sigmoid()
        y[0, 0] = 0.0
        y.sum().backward()
        """,
    "version_counter_input_of_leaf_product": """
        w = torch.tensor([1.0, 2.0], requires_grad=True)
        h = torch.tensor([3.0, 4.0])
        y = w * h
        h += 1
        y.sum().backward()
        """,
    "version_counter_through_view": """
        x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        a = x.clone()
        y = (a * a).sum()
        a[1:].zero_()
        y.backward()
        """,
    "version_counter_matmul": """
        w = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        x = torch.tensor([[1.0], [1.0]])
        y = w @ x
        x.mul_(2)
        y.sum().backward()
        """,
    "detach_view_inplace": """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        y[0].detach_()
        """,
    "grad_allow_unused_missing": """
        x = torch.tensor([1.0], requires_grad=True)
        z = torch.tensor([1.0], requires_grad=True)
        torch.autograd.grad((x * 2).sum(), [x, z])
        """,
    "grad_of_input_without_grad": """
        x = torch.tensor([1.0], requires_grad=True)
        torch.autograd.grad((x * 2).sum(), torch.tensor([1.0]))
        """,
    "retain_grad_without_requires_grad": "torch.tensor([1.0]).retain_grad()",
    "assign_grad_wrong_shape": """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        x.grad = torch.ones(3)
        """,
    "assign_grad_wrong_dtype": """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        x.grad = torch.ones(2, dtype=torch.float64)
        """,
}

for _name, _code in ERRORS.items():
    cases.snippet(f"error_{_name}", _code, web=_name in (
        "backward_non_scalar", "backward_without_grad", "backward_second_time", "leaf_inplace",
        "version_counter_exp_output"))


# =============================================================================================
# in-place ops on non-leaves and views


@add(web=True)
def inplace_on_non_leaf(torch):
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 2
    y.add_(1)
    y.mul_(3)
    y.sub_(torch.tensor([1.0, 1.0, 1.0]))
    z = y.sum()
    z.backward()
    return y, x, y._version


@add(web=True)
def inplace_on_view_of_non_leaf(torch):
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    y = x * 1
    v = y[0]
    v.mul_(3)
    names = (y.grad_fn.name(), v.grad_fn.name())
    (y * y).sum().backward()
    return names, y, v, x, y._version, v._version


@add
def setitem_on_non_leaf(torch):
    x = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    y = x.clone()
    y[1:3] = y[1:3] * 10
    y[0] = 0.0
    y.sum().backward()
    return y, x


@add(web=True)
def setitem_grad_value_into_plain_tensor(torch):
    # the seed: finite differences written into a plain tensor with a grad-requiring value
    W = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    W_grad = torch.zeros(2, 2)
    eps = 1e-3
    cost = (W * W).sum()
    for row in range(2):
        for col in range(2):
            E = torch.zeros(2, 2)
            E[row, col] = eps
            cost_eps = ((W + E) * (W + E)).sum()
            W_grad[row, col] = (cost_eps - cost) / eps
    return W_grad, W_grad.requires_grad, W_grad.is_leaf, W


@add
def setitem_grad_value_backward_float64(torch):
    W = torch.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=torch.float64, requires_grad=True)
    W_grad = torch.zeros(2, 2, dtype=torch.float64)
    cost = (W * W).sum()
    for row in range(2):
        for col in range(2):
            E = torch.zeros(2, 2, dtype=torch.float64)
            E[row, col] = 1e-3
            W_grad[row, col] = (((W + E) * (W + E)).sum() - cost) / 1e-3
    W_grad.sum().backward()
    return W


@add
def gradient_accumulation_order_float32(torch):
    # the same in float32: the gradients of W cancel (2000 * (W + E) - 8000 * W ...), so the
    # printed result depends on the order backward adds them up; torch gets exactly 2.
    W = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    W_grad = torch.zeros(2, 2)
    cost = (W * W).sum()
    for row in range(2):
        for col in range(2):
            E = torch.zeros(2, 2)
            E[row, col] = 1e-3
            W_grad[row, col] = (((W + E) * (W + E)).sum() - cost) / 1e-3
    W_grad.sum().backward()
    return W


@add
def setitem_tensor_index_with_grad_value(torch):
    v = torch.tensor([5.0, 6.0], requires_grad=True)
    t = torch.zeros(4)
    t[[1, 3]] = v * 2
    m = torch.zeros(3)
    m[torch.tensor([True, False, True])] = v
    (t.sum() + (m * torch.tensor([1.0, 2.0, 3.0])).sum()).backward()
    return t, m, v


@add
def copy_into_view_of_non_leaf(torch):
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    src = torch.tensor([10.0, 20.0], requires_grad=True)
    y = x.clone()
    y[:2].copy_(src)
    (y * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
    return y, x, src


@add
def inplace_view_chain(torch):
    x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    y = x + 0
    v = y.t()[1:]
    v.add_(torch.tensor([[100.0, 200.0], [300.0, 400.0]]))
    w = y.view(-1)
    (w * torch.arange(6.0)).sum().backward()
    return y, v, w, x


@add
def clamp_inplace_on_non_leaf(torch):
    x = torch.tensor([-2.0, 0.5, 3.0], requires_grad=True)
    y = x * 1.5
    y.clamp_(-1, 1)
    y.sum().backward()
    return y, x


@add
def manual_sgd_with_data(torch):
    w = torch.tensor([1.0, -1.0], requires_grad=True)
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    t = torch.tensor([1.0, 0.0])
    for _ in range(3):
        loss = ((x @ w - t) ** 2).mean()
        loss.backward()
        w.data -= 0.05 * w.grad.data
        w.grad.zero_()
    return w, loss, w._version


@add(web=True)
def manual_sgd_with_no_grad(torch):
    w = torch.tensor([1.0, -1.0], requires_grad=True)
    b = torch.tensor(0.5, requires_grad=True)
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0], [0.5, -1.0]])
    t = torch.tensor([1.0, 0.0, 2.0])
    losses = []
    for _ in range(3):
        loss = ((x @ w + b - t) ** 2).mean()
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            w -= 0.1 * w.grad
            b -= 0.1 * b.grad
        w.grad.zero_()
        b.grad = None
    return w, b, losses, w._version


# =============================================================================================
# grad modes


@add(web=True)
def no_grad_context(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with torch.no_grad():
        y = x * 2
        inside = torch.is_grad_enabled()
        with torch.enable_grad():
            z = x * 3
    return y, z, inside, torch.is_grad_enabled(), y.requires_grad, z.requires_grad


@add
def set_grad_enabled_forms(torch):
    x = torch.tensor([1.0], requires_grad=True)
    with torch.set_grad_enabled(False):
        a = x * 2
    torch.set_grad_enabled(False)
    b = x * 2
    off = torch.is_grad_enabled()
    torch.set_grad_enabled(True)
    c = x * 2
    with torch.set_grad_enabled(True):
        d = x * 2
    return a, b, c, d, off, torch.is_grad_enabled()


@add(web=True)
def grad_mode_decorators(torch):
    x = torch.tensor([1.0], requires_grad=True)

    @torch.no_grad()
    def f(t):
        return t * 2, torch.is_grad_enabled()

    @torch.no_grad
    def g(t):
        return t * 3

    @torch.enable_grad()
    def h(t):
        return t * 4

    @torch.set_grad_enabled(False)
    def k(t):
        return t * 5

    with torch.no_grad():
        hh = h(x)
    return f(x), g(x), hh, k(x), torch.is_grad_enabled(), f.__name__, g.__name__


@add
def no_grad_restores_on_exception(torch):
    try:
        with torch.no_grad():
            raise ValueError("boom")
    except ValueError:
        pass
    return torch.is_grad_enabled()


@add
def inplace_on_leaf_allowed_under_no_grad(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with torch.no_grad():
        x.add_(1)
        x[0] = 10.0
        x.mul_(2)
    return x, x._version, x.is_leaf, x.grad_fn


@add
def inference_mode_basics(torch):
    x = torch.tensor([1.0], requires_grad=True)
    with torch.inference_mode():
        y = x * 2
    return y.requires_grad, y.grad_fn


# =============================================================================================
# torch.autograd.grad and Variable


# torch.autograd.grad's results come out of an in-place accumulation in torch, so their version
# counter is 1 there: an implementation detail, not compared
@add(web=True, ignore=("version",))
def autograd_grad(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    w = torch.tensor([3.0, 4.0], requires_grad=True)
    y = (x * x * w).sum()
    gx, gw = torch.autograd.grad(y, [x, w])
    return gx, gw, x.grad, w.grad


@add(ignore=("version",))
def autograd_grad_options(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    z = torch.tensor([5.0], requires_grad=True)
    y = x * x
    (g,) = torch.autograd.grad(y, x, grad_outputs=torch.tensor([1.0, 10.0]), retain_graph=True)
    g2 = torch.autograd.grad(y.sum(), (x, z), allow_unused=True)
    return g, g2


@add(ignore=("version",))
def autograd_grad_of_non_leaf(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    y = (h * h).sum()
    (gh,) = torch.autograd.grad(y, h)
    return gh, x.grad


@add
def variable_wrapper(torch):
    Variable = torch.autograd.Variable
    t = torch.tensor([1.0, 2.0])
    v = Variable(t, requires_grad=True)
    u = Variable(t)
    (v * v).sum().backward()
    t[0] = 10.0
    return v, u, type(v).__name__, v.is_leaf, u.requires_grad, isinstance(v, torch.Tensor)


# =============================================================================================
# nn and optim basics


@add(web=True)
def linear_layer_forward_backward(torch):
    lin = torch.nn.Linear(3, 2)
    with torch.no_grad():
        lin.weight.copy_(torch.tensor([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]]))
        lin.bias.copy_(torch.tensor([0.05, -0.05]))
    x = torch.tensor([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]])
    out = lin(x)
    loss = torch.nn.MSELoss()(out, torch.tensor([[1.0, 0.0], [0.0, 1.0]]))
    loss.backward()
    return out, loss, lin.weight, lin.bias, repr(lin), [n for n, _ in lin.named_parameters()]


@add
def linear_graph_for_each_input_needing_grad(torch):
    # F.linear on rows builds AddmmBackward0 over TBackward0 directly: every mix of inputs
    # that need a gradient, a frozen weight, a view as input, and no_grad
    w0 = torch.tensor([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]])
    b0 = torch.tensor([0.05, -0.05])
    x0 = torch.tensor([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0], [0.0, 1.0, -1.0]])
    shown = []
    for needs in [(x, w, b) for x in (0, 1) for w in (0, 1) for b in (0, 1)]:
        x, w, b = (t.clone().requires_grad_(bool(n)) for t, n in zip((x0, w0, b0), needs))
        out = torch.nn.functional.linear(x, w, b)
        if out.requires_grad:
            (out * torch.tensor([1.0, -2.0])).sum().backward()
        shown.append((out, out.grad_fn, out.grad_fn and out.grad_fn.next_functions,
                      x.grad, w.grad, b.grad))
    base = x0.clone().requires_grad_()
    rows = base * 2
    view_out = torch.nn.functional.linear(rows[1:], w0.clone().requires_grad_(), b0)
    view_out.sum().backward()
    with torch.no_grad():
        quiet = torch.nn.functional.linear(x0, w0.clone().requires_grad_(), b0)
    return shown, view_out, base.grad, quiet


@add(web=True)
def wide_and_narrow_layers_gradients(torch):
    # the engine's fast routes: a bias gradient summed over a batch of 16 columns (a
    # vector-matrix product) and a one-output layer's input gradient (an outer product), in
    # both float dtypes BLAS takes; eighths and sixteenths keep every sum exact, so the
    # comparison (printed digits included) cannot hinge on summation order
    shown = []
    for dtype in (torch.float32, torch.float64):
        x = (torch.arange(120, dtype=dtype).reshape(40, 3) / 16 - 3.75).requires_grad_()
        wide = torch.nn.Linear(3, 16).to(dtype)
        narrow = torch.nn.Linear(16, 1).to(dtype)
        with torch.no_grad():
            wide.weight.copy_(torch.arange(48, dtype=dtype).reshape(16, 3) / 8 - 3)
            wide.bias.copy_(torch.arange(16, dtype=dtype) / 8)
            narrow.weight.copy_(torch.arange(16, dtype=dtype).reshape(1, 16) / 8 - 1)
            narrow.bias.fill_(0.25)
        out = narrow(wide(x))
        out.sum().backward()
        shown.append((out, x.grad, wide.weight.grad, wide.bias.grad, narrow.weight.grad,
                      narrow.bias.grad))
    return shown


# torch's engine bumps b.grad and c.grad to version 1 here (an in-place step of its own)
@add(ignore=("version",))
def leaves_finished_before_a_failing_node_keep_their_gradient(torch):
    # torch adds a leaf's gradient as soon as it is complete, so after a version error in the
    # middle of backward the leaves that the failing node and the nodes after it do not feed
    # (b, c) have their .grad and the others (w, fed through the failing exp) have none
    w, b, c = (torch.ones(2, requires_grad=True) for _ in range(3))
    y = (w * 2).exp()
    z = ((y + b) * c).sum() + (c * 3).sum()
    y.add_(1)
    try:
        z.backward()
    except RuntimeError as e:
        return str(e), w.grad, b.grad, c.grad
    return "no error"


@add
def linear_weight_changed_in_place_before_backward(torch):
    lin = torch.nn.Linear(3, 2)
    x = torch.ones(4, 3, requires_grad=True)
    out = lin(x)
    with torch.no_grad():
        lin.weight.mul_(2)
    out.sum().backward()


@add
def linear_input_changed_in_place_before_backward(torch):
    lin = torch.nn.Linear(3, 2)
    x = torch.ones(4, 3, requires_grad=True) * 1
    out = lin(x)
    x.add_(1)
    out.sum().backward()


@add
def parameter_basics(torch):
    p = torch.nn.Parameter(torch.tensor([1.0, 2.0]))
    q = torch.nn.Parameter(torch.tensor([1.0]), requires_grad=False)
    return (p, repr(p), type(p).__name__, p.requires_grad, p.is_leaf, q.requires_grad,
            isinstance(p, torch.Tensor), (p * 2).grad_fn.name(), type(p * 2).__name__)


@add(web=True)
def sequential_cross_entropy_sgd_step(torch):
    model = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 2))
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor([[0.5, -0.5], [0.25, 0.75], [-1.0, 0.5]]))
        model[0].bias.copy_(torch.tensor([0.1, 0.0, -0.1]))
        model[2].weight.copy_(torch.tensor([[1.0, -1.0, 0.5], [0.5, 0.5, -0.5]]))
        model[2].bias.copy_(torch.tensor([0.0, 0.2]))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    x = torch.tensor([[1.0, 2.0], [-1.0, 0.5], [0.3, -0.7]])
    y = torch.tensor([0, 1, 1])
    losses = []
    for _ in range(3):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, model(x), model[0].weight, model[2].bias, repr(model)


@add
def adam_steps(torch):
    w = torch.nn.Parameter(torch.tensor([1.0, -2.0, 3.0]))
    opt = torch.optim.Adam([w], lr=0.1)
    for _ in range(3):
        opt.zero_grad()
        loss = (w ** 2).sum()
        loss.backward()
        opt.step()
    return w, w.grad, loss


@add
def optimizer_zero_grad_sets_none(torch):
    w = torch.nn.Parameter(torch.tensor([1.0, 2.0]))
    opt = torch.optim.SGD([w], lr=0.5, momentum=0.9)
    (w * w).sum().backward()
    opt.step()
    opt.zero_grad()
    after = w.grad
    (w * w).sum().backward()
    opt.step()
    return w, after


@add
def functional_losses_and_activations(torch):
    F = torch.nn.functional
    x = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.0, -0.5]], requires_grad=True)
    t = torch.tensor([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
    p = torch.sigmoid(x)
    y = (F.mse_loss(x, t) + F.l1_loss(x, t) + F.binary_cross_entropy(p, t)
         + F.binary_cross_entropy_with_logits(x, t) + F.cross_entropy(x, torch.tensor([2, 0]))
         + F.relu(x).sum() + F.softmax(x, dim=1)[0, 0] + F.log_softmax(x, dim=1)[1, 1]
         + F.leaky_relu(x, 0.1).sum() + F.smooth_l1_loss(x, t) + F.nll_loss(F.log_softmax(x, 1),
                                                                            torch.tensor([1, 2])))
    y.backward()
    return y, x


@add
def loss_graphs_and_gradients(torch):
    F = torch.nn.functional
    x = torch.tensor([[0.0, 2.0, -1.0], [0.5, 0.0, -3.0]], requires_grad=True)
    t = torch.tensor([[1.0, 0.0, 1.0], [0.0, 1.0, 0.5]])
    losses = [F.mse_loss(x, t), F.l1_loss(x, t), F.smooth_l1_loss(x, t), F.huber_loss(x, t),
              F.binary_cross_entropy(torch.sigmoid(x), t), F.cross_entropy(x, torch.tensor([1, 2])),
              F.nll_loss(F.log_softmax(x, dim=1), torch.tensor([0, 2])),
              F.mse_loss(x, t, reduction="sum"), F.l1_loss(x, t, reduction="none")]
    sum(loss.sum() for loss in losses).backward()
    return losses, x


@add(web=True)
def bce_with_logits_at_zero_logits(torch):
    # zero-initialised logits are the usual starting point of a classifier
    F = torch.nn.functional
    x = torch.zeros(2, 2, requires_grad=True)
    t = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    loss = F.binary_cross_entropy_with_logits(x, t)
    loss.backward()
    return loss, x


@pytest.mark.parametrize("case", cases.params(), ids=cases.ids())
def test_same_as_torch(case):
    check_case(case, expect_error=case["name"].startswith("error_"))

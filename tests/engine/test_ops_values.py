"""Differential tests of values: creation, attributes, dtypes and promotion, conversions,
arithmetic, elementwise functions, reductions, matrix products, shape ops, indexing (get and
set), comparisons, in-place ops, views sharing storage, and devices without CUDA.

Each case is a function `f(torch)` run once with real torch and once with playground.torch;
oracle.describe() of the two results (values, dtype, shape, device, stride, contiguity, version
counter, autograd state, grad_fn graph, repr, warnings) must agree. The source of each case is
what runs, so a case may use only `torch`, `np`, `math` and builtins.
"""
import pytest

from oracle import Registry, check_case

cases = Registry("ops_values")
add = cases.add

DTYPES = ["bool", "uint8", "int32", "int64", "float16", "float32", "float64"]

# =============================================================================================
# creation


@add(web=True)
def tensor_nested_ints(torch):
    return torch.tensor([[1, 2], [3, 4]]), torch.tensor([-1, 0, 7])


@add(web=True)
def tensor_nested_mixed_int_float(torch):
    return torch.tensor([[1, 2.5], [3, 4]]), torch.tensor([1, 2.0])


@add
def tensor_bools_and_mixtures(torch):
    return (torch.tensor([True, False]), torch.tensor([True, 1]), torch.tensor([True, 1.5]),
            torch.tensor(True), torch.tensor([[False]]))


@add(web=True)
def tensor_numpy_scalars(torch):
    return (torch.tensor(np.float64(1.5)), torch.tensor(np.float32(2.25)),
            torch.tensor(np.int32(3)), torch.tensor(np.int64(-4)), torch.tensor(np.bool_(True)),
            torch.tensor(np.uint8(200)))


@add
def tensor_list_of_numpy_scalars(torch):
    return (torch.tensor([np.float64(1.0), 2.0]), torch.tensor([np.float32(1.0), 2.0]),
            torch.tensor([np.int32(1), np.int32(2)]), torch.tensor([np.int32(1), 2.5]))


@add
def tensor_zero_dim(torch):
    return torch.tensor(3.5), torch.tensor(3), torch.tensor(-0.0), torch.tensor(1e-8)


@add
def tensor_empty_lists(torch):
    return torch.tensor([]), torch.tensor([[]]), torch.tensor([[], []])


@add
def tensor_tuples(torch):
    return torch.tensor((1, 2, 3)), torch.tensor(((1.0, 2.0), (3.0, 4.0)))


@add(web=True)
def tensor_dtype_argument(torch):
    return (torch.tensor([1, 2], dtype=torch.float64), torch.tensor([1.7, -1.7], dtype=torch.int32),
            torch.tensor([0, 2], dtype=torch.bool), torch.tensor([1.5], dtype=torch.float16),
            torch.tensor([3, 4], dtype=torch.uint8))


@add
def tensor_from_numpy_array_copies(torch):
    a = np.array([1, 2, 3], dtype=np.int32)
    t = torch.tensor(a)
    a[0] = 100
    b = np.array([[0.5, 1.5]], dtype=np.float32)
    return t, torch.tensor(b), torch.tensor(np.array([1.0, 2.0]))


@add
def tensor_requires_grad_argument(torch):
    return torch.tensor([1.0, 2.0], requires_grad=True), torch.tensor(2.0, requires_grad=True)


@add
def tensor_from_tensor_warns(torch):
    src = torch.tensor([1.0, 2.0])
    t = torch.tensor(src)
    t[0] = 5.0
    return t, src


@add(web=True)
def as_tensor_shares_numpy_memory(torch):
    a = np.array([1.0, 2.0, 3.0])
    t = torch.as_tensor(a)
    a[0] = 9.0
    t[2] = -1.0
    u = torch.as_tensor(a, dtype=torch.float32)  # a conversion: a copy
    a[1] = 7.0
    return t, a, u, torch.as_tensor([1, 2]), torch.as_tensor(3.5)


@add
def as_tensor_of_tensor_is_same(torch):
    x = torch.tensor([1.0, 2.0])
    return torch.as_tensor(x) is x, torch.as_tensor(x, dtype=torch.float64)


@add(web=True)
def from_numpy_shares_both_ways(torch):
    a = np.arange(6.0).reshape(2, 3)
    t = torch.from_numpy(a)
    t[0, 0] = 100.0
    a[1, 2] = -1.0
    t.add_(1)
    return t, a


@add
def from_numpy_dtypes(torch):
    return (torch.from_numpy(np.array([1, 2], dtype=np.int32)),
            torch.from_numpy(np.array([1, 2], dtype=np.uint8)),
            torch.from_numpy(np.array([True, False])),
            torch.from_numpy(np.array([0.5, 1.5], dtype=np.float16)),
            torch.from_numpy(np.array([1.5], dtype=np.float32)),
            torch.from_numpy(np.array(3.0)))


@add
def from_numpy_non_contiguous(torch):
    a = np.arange(12.0).reshape(3, 4)[:, ::2]
    t = torch.from_numpy(a)
    return t, t.stride(), t.is_contiguous()


@add(web=True)
def legacy_tensor_sizes(torch):
    t = torch.Tensor(2, 3)
    e = torch.Tensor()
    s = torch.Tensor(torch.Size([4]))
    return t.shape, t.dtype, t.requires_grad, t.is_leaf, e, s.shape


@add
def legacy_tensor_data(torch):
    return torch.Tensor([1, 2, 3]), torch.Tensor([[1, 2], [3, 4]]), torch.Tensor(np.array([1.5, 2]))


@add(web=True)
def legacy_typed_constructors(torch):
    f = torch.FloatTensor([1, 2])
    d = torch.DoubleTensor([1, 2])
    l = torch.LongTensor([3, 4])
    return f, d, l, torch.FloatTensor(2, 3).shape, torch.LongTensor(2).dtype


@add
def legacy_types_isinstance(torch):
    x = torch.tensor([1.0])
    return (isinstance(x, torch.FloatTensor), isinstance(x, torch.DoubleTensor),
            isinstance(torch.tensor([1]), torch.LongTensor), isinstance(x, torch.Tensor))


@add
def empty_shape_and_dtype(torch):
    a = torch.empty(2, 3)
    b = torch.empty((4,), dtype=torch.int64)
    c = torch.empty(0)
    return a.shape, a.dtype, b.shape, b.dtype, c, a.requires_grad


@add(web=True)
def zeros_and_ones(torch):
    return (torch.zeros(2, 3), torch.zeros((2, 1)), torch.zeros([2]),
            torch.ones(2, dtype=torch.int64), torch.ones(2, dtype=torch.bool), torch.zeros(0, 3),
            torch.ones(()), torch.zeros(torch.Size([1, 2])))


@add
def full_infers_dtype(torch):
    return (torch.full((2, 2), 7), torch.full((2,), 7.0), torch.full((1,), True),
            torch.full((2,), 7, dtype=torch.float64), torch.full([3], -1.5))


@add
def eye_variants(torch):
    return torch.eye(3), torch.eye(2, 3), torch.eye(3, 2), torch.eye(2, dtype=torch.int64)


@add(web=True)
def arange_variants(torch):
    return (torch.arange(5), torch.arange(1, 4), torch.arange(0, 1, 0.25), torch.arange(5, 0, -1),
            torch.arange(0.0, 5), torch.arange(1, 2.5, 0.5), torch.arange(4, dtype=torch.float32),
            torch.arange(-1.0, 1.0, 0.5), torch.arange(0))


@add
def linspace_variants(torch):
    return (torch.linspace(0, 1, 5), torch.linspace(-1, 1, 4), torch.linspace(0, 1, 1),
            torch.linspace(0, 10, steps=3, dtype=torch.float64), torch.linspace(0, 1, 7),
            torch.linspace(2, -2, 5), torch.linspace(0, 1, 0))


@add
def like_factories(torch):
    xi = torch.tensor([[1, 2], [3, 4]])
    xf = torch.tensor([1.0, 2.0], dtype=torch.float64)
    e = torch.empty_like(xf)
    return (torch.zeros_like(xi), torch.ones_like(xf), torch.full_like(xi, 3.5),
            torch.full_like(xf, 3.5), torch.zeros_like(xi, dtype=torch.float32), e.shape, e.dtype,
            torch.ones_like(xf, requires_grad=True))


# =============================================================================================
# attributes


@add(web=True)
def shape_size_dim(torch):
    x = torch.zeros(2, 3, 4)
    return (x.shape, x.size(), x.size(1), x.size(-1), x.dim(), x.ndim, x.numel(), len(x),
            x.nelement(), torch.numel(x), torch.zeros(()).dim(), torch.zeros(()).shape)


@add(web=True)
def size_is_a_tuple(torch):
    s = torch.zeros(2, 3).shape
    return (repr(s), str(s), s[0], s[-1], s[1:], s == (2, 3), isinstance(s, tuple), tuple(s),
            list(s), s + (4,), len(s), s.numel(), torch.Size([2, 3]) == s, type(s[1:]).__name__,
            torch.Size([]), hash(s) == hash((2, 3)), f"{s}", [n for n in s])


@add
def size_concatenation_types(torch):
    s = torch.Size([2, 3])
    return (type(s + (1,)).__name__, type((1,) + s).__name__, (1,) + s, s + s, s * 2,
            type(s * 2).__name__)


@add
def dtype_attributes(torch):
    x = torch.tensor([1.0])
    return (x.dtype, x.dtype == torch.float32, torch.float == torch.float32,
            torch.float32 is torch.float, x.dtype.is_floating_point,
            torch.int64.is_floating_point, torch.long, torch.double, torch.half, torch.int,
            x.is_floating_point(), torch.tensor([1]).is_floating_point(),
            str(torch.bool), repr(torch.uint8), torch.get_default_dtype(),
            torch.tensor([1]).element_size(), x.element_size(), torch.int32.itemsize)


@add
def device_attributes(torch):
    x = torch.tensor([1.0])
    return (x.device, str(x.device), x.device == torch.device("cpu"), x.is_cuda,
            x.device.type, x.device.index, x.is_cpu, x.get_device())


@add(web=True)
def item_and_tolist(torch):
    return (torch.tensor(3.5).item(), torch.tensor([[1, 2]]).tolist(), torch.tensor(2).item(),
            torch.tensor(True).item(), torch.tensor(0.1).item(), torch.tensor([0.1]).tolist(),
            torch.tensor([[True], [False]]).tolist(), torch.tensor(0.1, dtype=torch.float64).item(),
            torch.tensor([7]).item(), torch.tensor(1.5, dtype=torch.float16).item(),
            torch.tensor([]).tolist(), torch.tensor(5, dtype=torch.uint8).item())


@add
def python_number_conversions(torch):
    x = torch.tensor(2.75)
    i = torch.tensor(3)
    return (float(x), int(x), int(torch.tensor(-2.75)), bool(torch.tensor([0.0])),
            float(i), [10, 20, 30, 40][i], f"{x:.1f}", round(float(x)), bool(torch.tensor([1])))


@add(web=True)
def numpy_shares_memory(torch):
    x = torch.tensor([1.0, 2.0, 3.0])
    n = x.numpy()
    n[0] = 5.0
    x[1] = -2.0
    return x, n, x.numpy().dtype.name, torch.tensor([1, 2], dtype=torch.int32).numpy()


@add
def data_attribute(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    d = x.data
    d[0] = 5.0
    return x, d, y.data, x.data.requires_grad, d.is_leaf, x._version, d._version


@add
def transpose_property(torch):
    m = torch.tensor([[1, 2, 3], [4, 5, 6]])
    return m.T, m.T.is_contiguous(), m.T.stride(), m.T._base is m


@add
def softmax_implicit_dim_warns(torch):
    F = torch.nn.functional
    return F.softmax(torch.tensor([1.0, 2.0])), F.log_softmax(torch.tensor([[1.0, 2.0]]))


@add
def versions_of_fresh_and_modified(torch):
    x = torch.zeros(3)
    v0 = x._version
    x.add_(1)
    v1 = x._version
    x[0] = 5
    v2 = x._version
    y = x + 1
    return v0, v1, v2, y._version, x


@add
def leaf_state(torch):
    a = torch.tensor([1.0, 2.0])
    b = torch.tensor([1.0, 2.0], requires_grad=True)
    c = b * 2
    return (a.requires_grad, a.is_leaf, a.grad, a.grad_fn, b.requires_grad, b.is_leaf, b.grad,
            b.grad_fn, c.requires_grad, c.is_leaf, c.grad_fn.name())


# =============================================================================================
# dtypes: promotion and conversions

for _a in DTYPES:
    for _b in DTYPES:
        cases.source(f"promote_{_a}_{_b}", f"""
            def promote(torch):
                a = torch.tensor([1, 0, 1], dtype=torch.{_a})
                b = torch.tensor([1, 1, 1], dtype=torch.{_b})
                return a + b, a * b, a / b
            """)


@add(web=True)
def promote_types_table(torch):
    ds = [torch.bool, torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64,
          torch.float16, torch.float32, torch.float64]
    return [[str(torch.promote_types(a, b)) for b in ds] for a in ds]


@add(web=True)
def promote_dimension_categories(torch):
    f32 = torch.tensor([1.0, 2.0])
    i64 = torch.tensor([1, 2])
    i32 = torch.tensor([1, 2], dtype=torch.int32)
    return (
        f32 + torch.tensor(1.0, dtype=torch.float64),       # 0-dim double: stays float32
        f32 + torch.tensor([1.0, 1.0], dtype=torch.float64),  # double with dims: float64
        i64 + 1.5,                                          # int + Python float: float32
        i64 / i64,                                          # true division: float32
        i32 + torch.tensor(1),                              # int32 + 0-dim int64: int32
        i32 + 5,                                            # int32 + Python int: int32
        i64 + torch.tensor(1.5, dtype=torch.float64),       # int + 0-dim double: float64
        torch.tensor(1) + 2.5,                              # 0-dim int + Python float
        torch.tensor(1.0, dtype=torch.float64) + torch.tensor(1.0),  # both 0-dim: float64
        torch.tensor([True, False]) + 1,                    # bool + int: int64
        torch.tensor([True, False]) + 1.5,                  # bool + float: float32
        torch.tensor([1.0], dtype=torch.float16) + 1.5,     # half + Python float: half
        torch.tensor([1], dtype=torch.uint8) + torch.tensor([1], dtype=torch.int8),
        torch.tensor([True]) + torch.tensor([True]),
        i32 * 2.0, i32 / 2, torch.tensor([1], dtype=torch.uint8) + 1,
    )


@add
def promote_with_default_dtype_float64(torch):
    torch.set_default_dtype(torch.float64)
    return (torch.tensor([1, 2]) + 1.5, torch.tensor([1.5]), torch.arange(0.0, 2.0),
            torch.zeros(2), torch.tensor([1, 2]) / 2,
            torch.tensor([1.0], dtype=torch.float32) + 1.5,
            torch.get_default_dtype())


@add
def result_type_function(torch):
    return (torch.result_type(torch.tensor([1]), 1.0),
            torch.result_type(torch.tensor([1.0]), torch.tensor(1.0, dtype=torch.float64)),
            torch.result_type(torch.tensor([1], dtype=torch.int32), torch.tensor([1])),
            torch.can_cast(torch.float32, torch.int32), torch.can_cast(torch.int32, torch.float32))


@add(web=True)
def conversion_methods(torch):
    x = torch.tensor([-1.7, 0.0, 0.5, 2.9])
    return x.float(), x.double(), x.long(), x.int(), x.bool(), x.half(), x.byte()


@add
def conversion_from_ints_and_bools(torch):
    i = torch.tensor([-1, 0, 3])
    b = torch.tensor([True, False])
    return i.float(), i.bool(), i.to(torch.uint8), b.long(), b.float(), i.double()


@add(web=True)
def type_method(torch):
    x = torch.tensor([1.5, -2.5])
    return (x.type(), torch.tensor([1]).type(), torch.tensor([True]).type(),
            x.type(torch.float64), x.type("torch.IntTensor"), x.type(torch.DoubleTensor),
            torch.tensor([1], dtype=torch.uint8).type(), x.half().type())


@add
def to_method_overloads(torch):
    x = torch.tensor([1.5, 2.5])
    y = torch.tensor([1, 2])
    return (x.to(torch.float64), x.to("cpu") is x, x.to(torch.float32) is x, x.to(y),
            x.to("cpu", torch.int64), x.to(dtype=torch.float16), x.to(device="cpu"),
            x.to(torch.float32, copy=True) is x, x.to(torch.device("cpu")) is x, x.cpu() is x)


@add
def conversion_records_grad(torch):
    x = torch.tensor([1.5, 2.5], requires_grad=True)
    y = x.double()
    (y * y).sum().backward()
    return y, x, x.float() is x


# =============================================================================================
# arithmetic and dunders


@add(web=True)
def binary_dunders_float(torch):
    a = torch.tensor([[1.5, -2.0, 3.0], [0.5, 4.0, -6.0]])
    b = torch.tensor([2.0, -3.0, 4.0])
    return a + b, a - b, a * b, a / b, a // b, a % b, a ** 2, -a, abs(a), +a


@add
def binary_dunders_int(torch):
    a = torch.tensor([[7, -7, 9], [2, 0, -3]])
    b = torch.tensor([2, 3, -4])
    return a + b, a - b, a * b, a / b, a // b, a % b, a ** 2, -a, abs(a), a @ b


@add(web=True)
def reflected_dunders(torch):
    f = torch.tensor([1.0, -2.0, 4.0])
    i = torch.tensor([1, -2, 4])
    return (2 + f, 2 - f, 2 * f, 2 / f, 2 // f, 7 % f, 2 ** f,
            2 + i, 2 - i, 2 * i, 2 / i, 7 // i, 7 % i, 2 ** i, 2.5 * i, 1.5 - i, 0.5 ** f)


@add
def floor_div_and_mod_signs(torch):
    a = torch.tensor([-7, 7, -7, 7, 0])
    b = torch.tensor([2, -2, -2, 2, 3])
    fa, fb = a.float(), b.float()
    return (a // b, a % b, fa // fb, fa % fb, torch.remainder(a, 3), a // 2, a % -2, fa % 2.5,
            fa // -0.5)


@add
def division_by_zero_floats(torch):
    x = torch.tensor([1.0, -1.0, 0.0])
    return x / 0, x / torch.zeros(3), x // 0.0, x % 0.0


@add
def int_division_rounding_modes(torch):
    a = torch.tensor([-7, 7, 5])
    b = torch.tensor([2, 2, -3])
    return (torch.div(a, b), torch.div(a, b, rounding_mode="floor"),
            torch.div(a, b, rounding_mode="trunc"), torch.div(a.float(), b, rounding_mode="trunc"),
            torch.div(a.float(), 2, rounding_mode="floor"))


@add
def add_sub_alpha(torch):
    a = torch.tensor([1.0, 2.0])
    b = torch.tensor([10.0, 20.0])
    return torch.add(a, b, alpha=2), torch.sub(a, b, alpha=0.5), a.add(b, alpha=3), a.sub(1)


@add
def numpy_scalars_with_tensors(torch):
    x = torch.tensor([1.0, 2.0])
    i = torch.tensor([1, 2])
    return (np.float64(2.0) * x, x * np.float64(2.0), i * np.float64(0.5), x + np.int64(3),
            np.int64(3) + i, i + np.float32(1.5), x / np.float32(2))


@add
def arithmetic_with_python_bools(torch):
    x = torch.tensor([1.0, 2.0])
    i = torch.tensor([1, 2])
    b = torch.tensor([True, False])
    return x + True, i * False, b + True, b * 2, b & True, b | torch.tensor([False, False])


@add
def functional_arithmetic(torch):
    a = torch.tensor([1.0, 4.0, 9.0])
    b = torch.tensor([2.0, 2.0, 2.0])
    return (torch.add(a, b), torch.sub(a, b), torch.mul(a, b), torch.div(a, b),
            torch.true_divide(a, b), torch.floor_divide(a, b), torch.remainder(a, b),
            torch.neg(a), torch.abs(-a), torch.square(a), torch.maximum(a, b), torch.minimum(a, b),
            torch.mul(a, 2), torch.add(a, 1))


@add
def broadcasting_shapes(torch):
    a = torch.arange(3.0).reshape(3, 1)
    b = torch.arange(4.0).reshape(1, 4)
    c = torch.arange(2.0).reshape(2, 1, 1)
    return a + b, a * b + c, (a - b).shape, (c / (b + 1)).shape, a + torch.tensor(1.0)


# =============================================================================================
# elementwise functions

UNARY = ["exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu", "abs", "neg"]
for _op in UNARY:
    for _dt in ["float32", "float64", "int64"]:
        cases.source(f"unary_{_op}_{_dt}", f"""
            def unary(torch):
                x = torch.tensor([-2, -0.5, 0, 0.5, 2, 10], dtype=torch.{_dt})
                return torch.{_op}(x), x.{_op}()
            """, web=(_dt == "float32" and _op in ("exp", "sigmoid", "relu")))


@add
def unary_on_extremes(torch):
    x = torch.tensor([-100.0, -20.0, 0.0, 20.0, 100.0, float("inf"), float("-inf"), float("nan")])
    return x.exp(), x.sigmoid(), x.tanh(), x.relu(), x.abs(), x.log(), x.sqrt()


@add
def relu_keeps_negative_zero(torch):
    # torch's relu is max(x, 0) keeping x when they compare equal: relu(-0.) prints -0.
    x = torch.tensor([-0.0, 0.0, -1.0, 1.0, float("nan")])
    return x.relu(), x.double().relu(), torch.nn.functional.relu(x.clone(), inplace=True)


@add
def unary_float16(torch):
    x = torch.tensor([-2.0, 0.5, 1.0, 3.0], dtype=torch.float16)
    return x.exp(), x.sigmoid(), x.tanh(), x.relu(), x.abs(), x.sqrt(), x * 2.5


@add(web=True)
def clamp_variants(torch):
    x = torch.tensor([-3.0, -1.0, 0.0, 0.5, 2.0, 5.0])
    return (x.clamp(min=-1), x.clamp(max=1), x.clamp(-1, 1), torch.clamp(x, 0, 2),
            x.clamp(min=2, max=1), x.clamp_min(0), x.clamp_max(0), torch.clip(x, -2, 2),
            x.clamp(torch.tensor(-1.0), torch.tensor(1.0)))


@add
def clamp_dtypes(torch):
    i = torch.tensor([-3, 0, 3])
    return (i.clamp(min=1), i.clamp(min=0.5), i.clamp(-1.5, 1.5), i.clamp(max=torch.tensor(1)),
            torch.tensor([0.5], dtype=torch.float64).clamp(0, 1))


@add
def clamp_tensor_bounds_broadcast(torch):
    x = torch.tensor([[-3.0, 0.0, 3.0], [1.0, 2.0, -1.0]])
    lo = torch.tensor([-1.0, 0.5, 0.0])
    hi = torch.tensor([[0.0], [1.5]])
    return torch.clamp(x, min=lo), torch.clamp(x, max=hi), torch.clamp(x, lo, hi)


@add(web=True)
def pow_variants(torch):
    x = torch.tensor([0.0, 1.0, 2.0, 4.0])
    i = torch.tensor([0, 1, 2, 3])
    return (x ** 2, x ** 0.5, x ** -1, x ** 0, i ** 2, i ** 0.5, 2 ** x, 2.5 ** i, 2 ** i,
            x ** torch.tensor([2.0, 2.0, 0.5, -1.0]), torch.pow(x, 3), x.pow(2),
            torch.tensor([-4.0]) ** 0.5, torch.pow(2, i), torch.tensor(0.0) ** 0)


# =============================================================================================
# matrix products


@add(web=True)
def mm_mv_dot_bmm(torch):
    m = torch.arange(6.0).reshape(2, 3)
    n = torch.arange(6.0).reshape(3, 2) - 2
    v = torch.tensor([1.0, -1.0, 2.0])
    b1 = torch.arange(12.0).reshape(2, 2, 3)
    b2 = torch.arange(12.0).reshape(2, 3, 2) / 4
    return torch.mm(m, n), torch.mv(m, v), torch.dot(v, v), torch.bmm(b1, b2), m.mm(n), v.dot(v)


@add
def matmul_dispatch(torch):
    a1 = torch.tensor([1.0, 2.0, 3.0])
    m23 = torch.arange(6.0).reshape(2, 3)
    m32 = torch.arange(6.0).reshape(3, 2)
    b = torch.arange(24.0).reshape(4, 2, 3)
    c = torch.arange(24.0).reshape(4, 3, 2)
    return (a1 @ a1, m23 @ a1, a1 @ m32, m23 @ m32, b @ m32, m23 @ c, b @ c, b @ a1,
            a1 @ c, torch.matmul(m23, m32))


@add
def matmul_batch_broadcast(torch):
    a = torch.arange(12.0).reshape(2, 1, 2, 3)
    b = torch.arange(18.0).reshape(3, 3, 2)
    r = a @ b
    return r, r.shape


@add
def matmul_int_and_double(torch):
    a = torch.tensor([[1, 2], [3, 4]])
    d = torch.tensor([[0.5, 1.0], [1.5, 2.0]], dtype=torch.float64)
    return a @ a, d @ d, torch.mm(a, a), torch.tensor([1, 2]) @ torch.tensor([3, 4]), a.T @ a


@add
def outer_and_trace(torch):
    v = torch.tensor([1.0, 2.0])
    w = torch.tensor([3.0, 4.0, 5.0])
    return torch.outer(v, w), torch.trace(torch.arange(9.0).reshape(3, 3))


# =============================================================================================
# reductions

REDUCE_X = "torch.tensor(np.array([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4, " \
           "6, 2, 6, 4], dtype=np.float32).reshape(2, 3, 4) / 4 - 1)"
for _op, _dims in [("sum", [None, 0, 1, -1, (0, 2), ()]), ("mean", [None, 0, -1, (1, 2)]),
                   ("prod", [None, 0, 2]), ("max", [None, 0, 1, -1]), ("min", [None, 1, 2]),
                   ("argmax", [None, 0, 2]), ("argmin", [None, 1, -1]),
                   ("std", [None, 0, (0, 1), -1]), ("var", [None, 1, (1, 2)]),
                   ("norm", [None, 1, (0, 2)])]:
    for _dim in _dims:
        for _keep in (False, True):
            if _dim is None and _op in ("max", "min", "prod", "sum", "mean") and _keep:
                continue
            _args = "" if _dim is None else f"dim={_dim!r}"
            if _keep:
                _args += (", " if _args else "") + "keepdim=True"
            _id = f"reduce_{_op}_{'all' if _dim is None else str(_dim).replace(' ', '')}" \
                  f"{'_keep' if _keep else ''}"
            cases.source(_id, f"""
                def reduce(torch):
                    x = {REDUCE_X}
                    return torch.{_op}(x{', ' + _args if _args else ''}), x.{_op}({_args})
                """, web=(_id in ("reduce_sum_1_keep", "reduce_max_1", "reduce_std_all")))


@add
def reduce_int_and_bool_dtypes(torch):
    i = torch.tensor([[1, 2, 3], [4, 5, 6]], dtype=torch.int32)
    b = torch.tensor([True, False, True])
    return (i.sum(), i.sum(0), i.prod(), i.max(), i.min(dim=1), i.argmax(), b.sum(), b.any(),
            b.all(), i.sum(dtype=torch.float64), i.cumsum(1), i.float().mean(),
            i.mean(dtype=torch.float64), torch.tensor([2], dtype=torch.uint8).sum())


@add
def reduce_ties(torch):
    x = torch.tensor([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]])
    return x.argmax(), x.argmax(1), x.argmin(1), x.max(1), x.min(0), x.max(), x.min()


@add
def reduce_zero_dim_and_single(torch):
    s = torch.tensor(2.5)
    return (s.sum(), s.mean(), s.max(), s.argmax(), s.sum(0), s.max(0), s.prod(),
            torch.tensor([4.0]).std(), torch.tensor([4.0]).var(unbiased=False))


@add
def std_var_corrections(torch):
    x = torch.tensor([[1.0, 2.0, 4.0], [3.0, 5.0, 9.0]])
    return (x.std(unbiased=False), x.var(0, unbiased=False), x.std(1, correction=0),
            x.var(correction=2), x.std(1, True, True),
            x.var(dim=1, keepdim=True), x.double().std())


@add
def norm_variants(torch):
    x = torch.tensor([[3.0, -4.0], [0.0, 12.0]])
    return (x.norm(), x.norm(p=1), x.norm(p=float("inf")), x.norm(dim=1),
            x.norm(dim=0, keepdim=True), torch.norm(x, "fro"), x.norm(p=3), x.norm(p=0),
            torch.norm(x, p=2, dim=1), x.norm(p=float("-inf")))


@add
def max_min_return_types(torch):
    x = torch.tensor([[1.0, 5.0, 2.0], [7.0, 0.0, 3.0]])
    mx = torch.max(x, 1)
    mn = x.min(dim=0, keepdim=True)
    values, indices = x.max(dim=1)
    return mx, mn, mx.values, mx.indices, values, indices, repr(mx), type(mx).__name__


@add
def max_min_elementwise_overloads(torch):
    a = torch.tensor([1.0, 5.0, 2.0])
    b = torch.tensor([3.0, 0.0, 2.0])
    return torch.max(a, b), torch.min(a, b), torch.amax(a), torch.amin(torch.stack([a, b]), 0)


@add
def softmax_values(torch):
    x = torch.tensor([[1.0, 2.0, 3.0], [1.0, 1.0, -100.0]])
    return (torch.softmax(x, dim=1), x.softmax(0), torch.log_softmax(x, dim=1),
            x.log_softmax(-1), torch.logsumexp(x, dim=1), x.cumsum(1))


# =============================================================================================
# shape ops


@add(web=True)
def cat_and_stack(torch):
    a = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    b = torch.tensor([[5.0, 6.0]])
    c = torch.tensor([[7.0], [8.0]])
    return (torch.cat([a, b]), torch.cat((a, c), dim=1), torch.cat([a, c, a], -1),
            torch.stack([a, a]), torch.stack([a, a], dim=1), torch.stack((a, a), -1),
            torch.cat([torch.tensor([1, 2]), torch.tensor([0.5])]),
            torch.stack([torch.tensor(1.0), torch.tensor(2.0)]), torch.cat([a]))


@add
def cat_skips_legacy_empty(torch):
    a = torch.tensor([[1.0, 2.0]])
    return torch.cat([a, torch.tensor([])]), torch.cat([torch.tensor([]), torch.tensor([1.0])])


@add(web=True)
def view_with_minus_one(torch):
    x = torch.arange(12.0)
    return (x.view(3, 4), x.view(-1, 6), x.view((2, -1)), x.view(2, 2, -1), x.view(-1),
            x.view(torch.Size([4, 3])), x.view(12), x.view(3, 4).view(-1, 2).stride(),
            x.view_as(torch.zeros(6, 2)))


@add
def reshape_copies_when_needed(torch):
    x = torch.arange(6.0).reshape(2, 3)
    v = x.reshape(3, 2)      # a view
    c = x.t().reshape(-1)    # a copy
    v[0, 0] = 100.0
    c[1] = -1.0
    return (x, v, c, v._base is x, c._base is None, x.reshape(-1).is_contiguous(),
            torch.reshape(x, (6,)), x.reshape(1, -1, 1).stride())


@add
def flatten_variants(torch):
    x = torch.arange(24.0).reshape(2, 3, 4)
    return (x.flatten(), x.flatten(1), x.flatten(0, 1), torch.flatten(x, -2),
            torch.tensor(3.0).flatten(), x.flatten(1, 1) is x, x.transpose(0, 2).flatten())


@add(web=True)
def squeeze_unsqueeze(torch):
    x = torch.zeros(2, 1, 3, 1)
    y = torch.arange(3.0)
    return (x.squeeze().shape, x.squeeze(1).shape, x.squeeze(0).shape, x.squeeze(-1).shape,
            x.squeeze((1, 3)).shape, y.unsqueeze(0), y.unsqueeze(-1), y.unsqueeze(1).stride(),
            torch.unsqueeze(y, 0).shape, y[None].shape, torch.squeeze(torch.zeros(1, 1)).shape,
            x.squeeze(1).stride(), x.unsqueeze(2).stride(), x.squeeze().stride())


@add(web=True)
def transposes_and_permute(torch):
    x = torch.arange(24.0).reshape(2, 3, 4)
    m = torch.arange(6.0).reshape(2, 3)
    return (m.t(), torch.t(m), torch.tensor([1.0, 2.0]).t(), x.transpose(0, 1),
            x.transpose(-1, -2), x.permute(2, 0, 1), x.permute((1, 2, 0)),
            torch.permute(x, (0, 2, 1)),
            x.permute(2, 0, 1).is_contiguous(), x.swapaxes(0, 2).stride(), m.mT)


@add
def expand_and_narrow(torch):
    c = torch.tensor([[1.0], [2.0], [3.0]])
    x = torch.arange(12.0).reshape(3, 4)
    e = c.expand(3, 4)
    return (e, e.stride(), c.expand(-1, 2), c.expand(2, 3, 4).shape, c.expand(2, 3, 4).stride(),
            c.expand_as(x), x.narrow(0, 1, 2), x.narrow(1, -2, 2), x.narrow(1, 0, 0),
            torch.narrow(x, 1, 1, 2).stride(), e.is_contiguous(), torch.tensor(5.0).expand(2, 2))


@add
def contiguous_clone_detach(torch):
    x = torch.arange(6.0).reshape(2, 3)
    t = x.t()
    tc = t.contiguous()
    cl = t.clone()
    d = x.detach()
    d[0, 0] = -5.0
    cl[0, 0] = 99.0
    return (t, t.is_contiguous(), tc, tc.is_contiguous(), tc.stride(), x.contiguous() is x,
            cl.stride(), x, cl, d._version, x._version, d._base is None)


@add
def multi_output_views(torch):
    x = torch.arange(10.0).reshape(2, 5)
    return (x.unbind(1), x.split(2, dim=1), x.chunk(2, dim=1), x.split([1, 4], 1),
            torch.unbind(x), x.flip(1), x.repeat(2, 1), x.tril(), x.triu(1))


# =============================================================================================
# indexing: get


@add(web=True)
def basic_indexing(torch):
    x = torch.arange(24.0).reshape(2, 3, 4)
    return (x[0], x[-1], x[1:], x[:, ::2], x[:, 1], x[..., 0], x[None].shape, x[:, None].shape,
            x[0, 1, 2], x[1, 1:3, ::2], x[0][1], x[..., 1:2], x[:, -1, :])


@add
def basic_indexing_views_and_strides(torch):
    x = torch.arange(12.0).reshape(3, 4)
    r = x[1]
    c = x[:, 2]
    s = x[::2, 1::2]
    r[0] = 100.0
    c[2] = -1.0
    return (x, r, c, s, r.stride(), c.stride(), s.stride(), c.is_contiguous(), r._base is x,
            x[1:3].is_contiguous(), x[0, 0]._base is x, x[:]._base is x)


@add
def empty_and_out_of_range_slices(torch):
    x = torch.arange(5)
    return x[1:1], x[5:], x[3:1], x[-100:2], x[2:100], x[10:], x[::3]


@add(web=True)
def integer_array_indexing(torch):
    x = torch.arange(12.0).reshape(3, 4)
    return (x[[0, 2]], x[torch.tensor([0, 2])], x[[0, 1], [1, 2]],
            x[torch.tensor([[0, 1], [1, 0]])],
            x[torch.tensor([-1])], x[:, [3, 0]], x[[2, 2, 0]], x[1, [0, 0]],
            x[torch.tensor(1)], x[np.array([0, 1])])


@add
def mixed_advanced_indexing_shapes(torch):
    x = torch.arange(24.0).reshape(2, 3, 4)
    return (x[0, :, [0, 1]].shape, x[[0, 1], :, [0, 1]].shape, x[:, [0, 2], :].shape,
            x[:, [0, 1], [1, 2]].shape, x[[0, 1], :, [0, 1]], x[..., [0, 3]].shape,
            x[[[0], [1]], [0, 2]].shape, x[:, [0, 2]][:, :, 1])


@add(web=True)
def boolean_indexing(torch):
    x = torch.tensor([[1.0, -2.0, 3.0], [-4.0, 5.0, -6.0]])
    mask2d = torch.tensor([[True, False, True], [False, False, True]])
    return (x[x > 0], x[torch.tensor([True, False])], x[:, torch.tensor([True, False, True])],
            x[[True, False]], x[x > 100], x[(x > 0) & (x < 4)], x[mask2d])


@add
def advanced_indexing_copies(torch):
    x = torch.arange(6.0)
    y = x[[0, 1]]
    y[0] = 100.0
    z = x[x > 2]
    z[0] = -1.0
    return x, y, z, y._base is None, y.is_contiguous()


@add
def index_select_gather_masked_select(torch):
    x = torch.arange(12.0).reshape(3, 4)
    idx = torch.tensor([2, 0])
    return (torch.index_select(x, 0, idx), x.index_select(1, idx),
            torch.gather(x, 1, torch.tensor([[0, 0], [1, 0], [3, 2]])), x.masked_select(x > 6),
            torch.nonzero(x > 8), (x > 9).nonzero(as_tuple=True))


# =============================================================================================
# indexing: set


@add(web=True)
def setitem_basic(torch):
    x = torch.zeros(3, 4)
    x[0] = 5.0
    x[:, 1] = torch.tensor([1.0, 2.0, 3.0])
    x[1:, 2:] = 7.5
    x[2, 3] = -1
    x[..., 0] += 10
    return x, x._version


@add
def setitem_dtype_casts(torch):
    i = torch.zeros(2, 3, dtype=torch.int64)
    i[0] = 7.9
    i[1] = torch.tensor([1.5, -2.5, 3.5])
    b = torch.zeros(3, dtype=torch.bool)
    b[1] = 5
    f = torch.zeros(2)
    f[0] = True
    f[1] = torch.tensor(3)
    return i, b, f


@add(web=True)
def setitem_mask_and_index(torch):
    x = torch.tensor([[1.0, -2.0, 3.0], [-4.0, 5.0, -6.0]])
    x[x < 0] = 0.0
    y = torch.arange(6.0)
    y[[0, 2]] = torch.tensor([10.0, 20.0])
    y[torch.tensor([5])] = -1.0
    z = torch.arange(6.0)
    z[z > 2] = z[z > 2] * 10
    return x, y, z, x._version, y._version


@add
def setitem_advanced_broadcast_and_duplicates(torch):
    x = torch.zeros(3, 4)
    x[[0, 2]] = torch.tensor([1.0, 2.0, 3.0, 4.0])
    x[:, [1, 3]] = torch.tensor([[9.0], [8.0], [7.0]])
    y = torch.zeros(4)
    y[[0, 0, 1]] += 1
    z = torch.zeros(2, 2)
    z[[0, 1], [1, 0]] = torch.tensor([5.0, 6.0])
    return x, y, z


@add
def setitem_ellipsis_and_whole(torch):
    x = torch.arange(4.0)
    x[...] = 1.0
    y = torch.arange(4.0)
    y[:] = torch.tensor([4.0, 3.0, 2.0, 1.0])
    z = torch.tensor(2.0)
    z[...] = 5.0
    w = torch.zeros(2, 2)
    w[0, 0] = torch.ones(1, 1)
    return x, y, z, w, x._version


# =============================================================================================
# comparisons, logic, where


@add(web=True)
def comparisons(torch):
    x = torch.tensor([1, 2, 3])
    y = torch.tensor([3.0, 2.0, 1.0])
    m = torch.tensor([[1.0], [2.0]])
    return (x == y, x != 2, x < 2.5, x >= y, torch.eq(x, 2), x.gt(y), x.le(2), m > y,
            torch.ne(y, m), x == x, torch.lt(y, 2.0), torch.ge(x, torch.tensor(2)))


@add
def comparisons_with_none_and_equal(torch):
    x = torch.tensor([1.0, 2.0])
    return (x == None, x != None, torch.equal(x, torch.tensor([1.0, 2.0])),  # noqa: E711
            torch.equal(x, torch.tensor([1.0])), torch.allclose(x, x + 1e-9),
            torch.isclose(x, torch.tensor([1.0, 2.1])), 2.0 in x, 5 in x)


@add
def logical_ops(torch):
    a = torch.tensor([True, False, True])
    b = torch.tensor([True, True, False])
    i = torch.tensor([1, 0, 2])
    return (a & b, a | b, a ^ b, ~a, torch.logical_and(i, a), torch.logical_not(i), i & 3, ~i,
            torch.logical_or(a, b), (i > 0).any(), (i > 0).all(),
            torch.isnan(torch.tensor([float("nan"), 1.0])))


@add(web=True)
def where_variants(torch):
    c = torch.tensor([True, False, True])
    x = torch.tensor([1.0, 2.0, 3.0])
    y = torch.tensor([-1.0, -2.0, -3.0])
    return (torch.where(c, x, y), torch.where(c, x, 0.0), torch.where(c, 1, 0),
            torch.where(c, 1.0, 0), torch.where(x > 1.5, x, torch.tensor([[10.0], [20.0]])),
            torch.where(c), x.where(c, y), torch.where(c, torch.tensor([1, 2, 3]), 0.5))


@add
def masked_fill_values(torch):
    x = torch.arange(6.0).reshape(2, 3)
    return x.masked_fill(x > 2, -1.0), torch.masked_fill(x, x < 1, 9), x


# =============================================================================================
# in-place ops


@add(web=True)
def inplace_arithmetic(torch):
    x = torch.tensor([1.0, 2.0, 3.0])
    r = x.add_(1)
    same = r is x
    x.sub_(torch.tensor([0.5, 0.5, 0.5]))
    x.mul_(2)
    x.div_(4)
    x.add_(torch.tensor([1.0, 1.0, 1.0]), alpha=10)
    return x, same, x._version


@add
def inplace_zero_fill_copy(torch):
    x = torch.arange(6.0).reshape(2, 3)
    x.zero_()
    y = torch.arange(3.0)
    y.fill_(2)
    i = torch.zeros(3, dtype=torch.int64)
    i.fill_(2.7)
    c = torch.zeros(2, 3)
    c.copy_(torch.tensor([1, 2, 3]))
    ci = torch.zeros(2, dtype=torch.int64)
    ci.copy_(torch.tensor([1.9, -1.9]))
    f = torch.zeros(2)
    f.fill_(torch.tensor(4.0))
    return x, y, i, c, ci, f, x._version, c._version


@add
def inplace_t_clamp(torch):
    x = torch.arange(6.0).reshape(2, 3)
    r = x.t_()
    z = torch.tensor([-2.0, 0.5, 3.0])
    z.clamp_(-1, 1)
    w = torch.tensor([-2.0, 0.5, 3.0])
    w.clamp_(min=0)
    return x, r is x, x.stride(), x.is_contiguous(), x._version, z, w, z._version


@add
def inplace_flags(torch):
    x = torch.tensor([1.0, 2.0])
    r = x.requires_grad_()
    s = x.requires_grad_(False)
    y = torch.tensor([1.0], requires_grad=True) * 2
    d = y.detach_()
    return r is x, s is x, x.requires_grad, d is y, y.requires_grad, y.grad_fn, y.is_leaf


@add(web=True)
def augmented_assignment(torch):
    x = torch.tensor([1.0, 2.0])
    y = x
    x += 1
    x -= torch.tensor([0.5, 0.5])
    x *= 4
    x /= 2
    i = torch.tensor([1, 2])
    j = i
    i *= 3
    i += torch.tensor([1, 1])
    return x, y is x, x._version, i, j is i


@add
def inplace_broadcast_other(torch):
    x = torch.ones(2, 3)
    x.add_(torch.tensor([1.0, 2.0, 3.0]))
    x.mul_(torch.tensor([[2.0], [3.0]]))
    f = torch.ones(2)
    f.add_(torch.tensor([1, 2]))
    f += 1
    return x, f


@add
def inplace_unary_methods(torch):
    x = torch.tensor([0.25, 1.0, 4.0])
    a = x.clone().sqrt_()
    b = x.clone().exp_()
    c = x.clone().neg_()
    d = x.clone().log_()
    e = (x - 1).relu_()
    f = x.clone().pow_(2)
    return a, b, c, d, e, f


# =============================================================================================
# views sharing storage


@add(web=True)
def write_through_view(torch):
    base = torch.arange(6.0).reshape(2, 3)
    v = base[0]
    v.mul_(10)
    w = base.t()
    w[2, 1] = 99.0
    return base, v, w, base._version, v._version, w._version, w.stride(), w.is_contiguous()


@add
def chained_views_share_version(torch):
    base = torch.arange(8.0)
    v = base.view(2, 4)[:, ::2]
    v.fill_(0)
    u = base.unsqueeze(0)
    u[0, 1] = -5.0
    return (base, v, u, base._version, v._version, u._version, v._base is base, u._base is base,
            v.stride(), v._is_view(), base._is_view())


@add
def view_storage_identity(torch):
    x = torch.arange(6.0)
    v = x.view(2, 3)
    c = x.clone()
    return (v.untyped_storage().data_ptr() == x.untyped_storage().data_ptr(),
            c.untyped_storage().data_ptr() == x.untyped_storage().data_ptr(),
            v.data_ptr() == x.data_ptr(), x[2:].data_ptr() == x.data_ptr(),
            x[2:].storage_offset(), x[1::2].storage_offset())


@add
def expand_then_write_base(torch):
    c = torch.tensor([[1.0], [2.0]])
    e = c.expand(2, 3)
    c[0, 0] = 10.0
    return e, e._version, c._version


# =============================================================================================
# devices without CUDA


@add(web=True)
def device_objects(torch):
    cpu = torch.device("cpu")
    c = torch.device("cuda")
    c1 = torch.device("cuda:1")
    c0 = torch.device("cuda", 0)
    return (repr(cpu), str(cpu), repr(c), str(c), repr(c1), str(c1), repr(c0), str(c0),
            c1.type, c1.index, cpu.index, cpu == torch.device("cpu"), c0 == torch.device("cuda:0"),
            c0 == c, torch.device(cpu), cpu, c1)


@add
def device_compared_with_strings(torch):
    return (torch.device("cpu") == "cpu", torch.device("cuda:0") == "cuda:0",
            torch.tensor([1.0]).device == "cpu")


@add(web=True)
def cuda_unavailable(torch):
    return torch.cuda.is_available(), torch.cuda.device_count()


@add
def device_arguments_cpu(torch):
    return (torch.zeros(2, device="cpu"), torch.tensor([1], device=torch.device("cpu")),
            torch.ones(1, device="cpu").device, torch.arange(3, device="cpu"))


# =============================================================================================
# printing through Tensor.__repr__


@add(web=True)
def reprs_of_common_tensors(torch):
    return (repr(torch.tensor([1.0, 2.5])), repr(torch.tensor([1, 2])),
            repr(torch.tensor([1.0, 2.5], dtype=torch.float64)),
            repr(torch.tensor([1, 2], dtype=torch.int32)), repr(torch.tensor([True])),
            repr(torch.tensor([])), repr(torch.zeros(0, 3)), repr(torch.tensor(3.0)),
            repr(torch.tensor([1e-5, 1.0])), repr(torch.tensor([123456789.0, 1.0])),
            repr(torch.tensor([1.0], requires_grad=True)), str(torch.tensor([[1.0, 2.0]])),
            repr(torch.tensor([0.1, 0.25], dtype=torch.float16)),
            repr(torch.tensor([float("nan"), float("inf"), -float("inf")])),
            repr(torch.arange(2000.0)), repr(torch.tensor([1], dtype=torch.uint8)))


@add
def reprs_with_grad_fn(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    return repr(x * 2), repr(x.sum()), repr(x[0]), repr(x.view(2, 1)), str(x + 1)


@add
def reprs_under_default_float64(torch):
    torch.set_default_dtype(torch.float64)
    return (repr(torch.tensor([1.5])), repr(torch.tensor([1.5], dtype=torch.float32)),
            repr(torch.zeros(2)))


# =============================================================================================


@pytest.mark.parametrize("case", cases.params(), ids=cases.ids())
def test_same_as_torch(case):
    check_case(case)


# torch warns about x.T on tensors that are not 2-D only once per process (TORCH_WARN_ONCE), so
# the comparison runs the same script in a fresh process for each engine
T_WARNINGS = """
import json, sys, warnings
import numpy as np
torch = __import__(sys.argv[1], fromlist=["tensor"])
out = []
for make in ("torch.tensor(3.0)", "torch.tensor([1.0, 2.0])", "torch.zeros(2, 3, 4)",
             "torch.tensor(4.0)", "torch.tensor([3.0])", "torch.zeros(2, 3)"):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        shape = list(eval(make).T.shape)
    out.append([make, shape, [[w.category.__name__, str(w.message)] for w in caught]])
print(json.dumps(out))
"""


def test_transpose_property_warnings_once_per_process():
    import json
    import re
    import subprocess
    import sys

    def run(module):
        proc = subprocess.run([sys.executable, "-c", T_WARNINGS, module], capture_output=True,
                              text=True, check=True)
        return json.loads(re.sub(r"\(Triggered internally at [^)]*\)", "(...)", proc.stdout))
    assert run("playground.torch") == run("torch")

"""The engine's simulated CUDA device, checked against the exact strings a CUDA build of torch
prints (there is no GPU torch to run here as an oracle; the message formats were checked
against the strings compiled into torch 2.13's libtorch_cpu / libtorch_python).

The simulation is switched on by a fixture and always restored, so no other test sees it.
"""
import numpy as np
import pytest

import playground.torch as torch

MIXED = ("Expected all tensors to be on the same device, but found at least two devices, "
         "cuda:0 and cpu!")
TO_NUMPY = ("can't convert cuda:0 device type tensor to numpy. Use Tensor.cpu() to copy the "
            "tensor to host memory first.")


@pytest.fixture
def cuda():
    previous = torch.cuda.simulate(True)
    try:
        yield torch.cuda
    finally:
        torch.cuda.simulate(previous)


def test_fixture_restores_cpu_only_state():
    assert torch.cuda.is_available() is False
    with pytest.raises(AssertionError, match="^Torch not compiled with CUDA enabled$"):
        torch.zeros(1).cuda()


def test_availability(cuda):
    assert torch.cuda.is_available() is True
    assert torch.cuda.device_count() == 1
    assert torch.cuda.current_device() == 0


def test_reprs_have_the_device_suffix(cuda):
    x = torch.tensor([1.0, 2.0], device="cuda")
    assert repr(x) == "tensor([1., 2.], device='cuda:0')"
    assert str(x) == "tensor([1., 2.], device='cuda:0')"
    assert repr(torch.tensor([1, 2], device="cuda")) == "tensor([1, 2], device='cuda:0')"
    assert repr(torch.tensor([1.0, 2.0], dtype=torch.float64).cuda()) == \
        "tensor([1., 2.], device='cuda:0', dtype=torch.float64)"
    w = torch.tensor([1.0, 2.0], device="cuda", requires_grad=True)
    assert repr(w) == "tensor([1., 2.], device='cuda:0', requires_grad=True)"
    assert repr(w * 2) == "tensor([2., 4.], device='cuda:0', grad_fn=<MulBackward0>)"
    assert repr(torch.tensor(3.5, device="cuda")) == "tensor(3.5000, device='cuda:0')"


def test_device_objects(cuda):
    x = torch.zeros(2).to("cuda")
    assert x.device == torch.device(type="cuda", index=0)
    assert x.device == torch.device("cuda:0")
    assert repr(x.device) == "device(type='cuda', index=0)"
    assert str(x.device) == "cuda:0"
    assert x.is_cuda is True and x.get_device() == 0
    for moved in (torch.zeros(2).cuda(), torch.zeros(2).to("cuda:0"),
                  torch.zeros(2).to(torch.device("cuda")), torch.zeros(2, device="cuda"),
                  torch.ones_like(torch.zeros(2), device="cuda"), torch.zeros(2).cuda(0)):
        assert str(moved.device) == "cuda:0"
    back = x.cpu()
    assert back.device == torch.device("cpu") and back.is_cuda is False
    assert x.to("cuda") is x


MIXING = {
    "cuda+cpu": lambda a, b: a + b, "cpu+cuda": lambda a, b: b + a,
    "mul": lambda a, b: a * b, "cpu-cuda": lambda a, b: b - a, "lt": lambda a, b: a < b,
    "where": lambda a, b: torch.where(a > 0, a, b), "cat": lambda a, b: torch.cat([a, b]),
    "stack": lambda a, b: torch.stack([b, a]),
}


@pytest.mark.parametrize("op", MIXING.values(), ids=MIXING.keys())
def test_mixing_devices_raises(cuda, op):
    a = torch.tensor([1.0, 2.0], device="cuda")
    b = torch.tensor([3.0, 4.0])
    with pytest.raises(RuntimeError) as info:
        op(a, b)
    assert str(info.value) == MIXED


def test_inplace_mixing_devices_raises(cuda):
    a = torch.tensor([1.0, 2.0], device="cuda")
    with pytest.raises(RuntimeError) as info:
        a.add_(torch.tensor([3.0, 4.0]))
    assert str(info.value) == MIXED


def test_mm_mixing_devices_raises(cuda):
    a = torch.ones(2, 2, device="cuda")
    with pytest.raises(RuntimeError) as info:
        torch.mm(a, torch.ones(2, 2))
    assert str(info.value) == ("Expected all tensors to be on the same device, but got mat2 is "
                               "on cpu, different from other tensors on cuda:0 (when checking "
                               "argument in method wrapper_CUDA_mm)")


def test_zero_dim_cpu_tensor_joins_cuda(cuda):
    a = torch.tensor([1.0, 2.0], device="cuda")
    r = a * torch.tensor(3.0)
    assert str(r.device) == "cuda:0"
    assert r.tolist() == [3.0, 6.0]
    assert str((torch.tensor(1.0) + a).device) == "cuda:0"


def test_numpy_refused_on_cuda(cuda):
    a = torch.tensor([1.0, 2.0], device="cuda")
    with pytest.raises(TypeError) as info:
        a.numpy()
    assert str(info.value) == TO_NUMPY
    with pytest.raises(TypeError) as info:
        np.asarray(a)
    assert str(info.value) == TO_NUMPY
    np.testing.assert_array_equal(a.cpu().numpy(), np.array([1.0, 2.0], np.float32))
    # item(), tolist() and float() copy to the host implicitly, as in torch
    assert a.tolist() == [1.0, 2.0] and a[1].item() == 2.0 and float(a[0]) == 1.0


def test_type_strings(cuda):
    assert torch.zeros(2, device="cuda").type() == "torch.cuda.FloatTensor"
    assert torch.zeros(2, dtype=torch.int64, device="cuda").type() == "torch.cuda.LongTensor"
    assert torch.zeros(2, dtype=torch.float64).cuda().type() == "torch.cuda.DoubleTensor"
    assert torch.zeros(2, device="cuda").cpu().type() == "torch.FloatTensor"
    t = torch.zeros(2).type("torch.cuda.DoubleTensor")
    assert str(t.device) == "cuda:0" and str(t.dtype) == "torch.float64"


def test_autograd_on_cuda(cuda):
    w = torch.tensor([1.0, -2.0], device="cuda", requires_grad=True)
    x = torch.tensor([3.0, 4.0]).to("cuda")
    loss = ((w * x).sum() - 1) ** 2
    loss.backward()
    assert str(w.grad.device) == "cuda:0"
    assert w.grad.tolist() == [2 * (3.0 - 8.0 - 1) * 3.0, 2 * (3.0 - 8.0 - 1) * 4.0]
    assert repr(loss) == "tensor(36., device='cuda:0', grad_fn=<PowBackward0>)"


def test_gradient_flows_across_devices(cuda):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    y = w.to("cuda") * 3
    assert y.grad_fn.name() == "MulBackward0"
    assert y.grad_fn.next_functions[0][0].name() == "ToCopyBackward0"
    y.sum().backward()
    assert str(w.grad.device) == "cpu"
    assert w.grad.tolist() == [3.0, 3.0]


def test_module_to_cuda(cuda):
    lin = torch.nn.Linear(2, 1)
    assert lin.to("cuda") is lin
    assert all(str(p.device) == "cuda:0" for p in lin.parameters())
    assert all(p.is_leaf and p.requires_grad for p in lin.parameters())
    out = lin(torch.ones(3, 2, device="cuda"))
    assert str(out.device) == "cuda:0" and tuple(out.shape) == (3, 1)
    with pytest.raises(RuntimeError, match="^Expected all tensors to be on the same device"):
        lin(torch.ones(3, 2))

"""Differential tests of errors: the exception type and its exact message, for the mistakes
students make with creation, dtypes, devices, shapes, indexing, in-place ops and products.

Each case is a few statements run with real torch and with playground.torch; torch must raise
(checked, so a case that stops raising in torch shows up as a broken case), and the engine must
raise the same type with the same text. (Autograd's own errors live in test_autograd.py.)
"""
import pytest

from oracle import Registry, check_case

cases = Registry("errors")

ERRORS = {
    # -- creation ------------------------------------------------------------------------
    "tensor_ragged_nested_list": "torch.tensor([[1, 2], [3]])",
    "tensor_ragged_deeper": "torch.tensor([[[1, 2], [3, 4]], [[5, 6], [7]]])",
    "tensor_of_string": "torch.tensor([1, 'a'])",
    "tensor_of_none": "torch.tensor(None)",
    "tensor_int_requires_grad": "torch.tensor([1, 2], requires_grad=True)",
    "zeros_int_requires_grad": "torch.zeros(2, dtype=torch.int64, requires_grad=True)",
    "zeros_negative_size": "torch.zeros(-1)",
    "zeros_negative_in_shape": "torch.ones(2, -3)",
    "arange_zero_step": "torch.arange(0, 5, 0)",
    "arange_wrong_sign": "torch.arange(5, 0)",
    "eye_negative": "torch.eye(-1)",
    "linspace_negative_steps": "torch.linspace(0, 1, -1)",
    "from_numpy_of_list": "torch.from_numpy([1, 2])",
    "from_numpy_negative_strides": "torch.from_numpy(np.arange(3.0)[::-1])",
    "from_numpy_object_array": "torch.from_numpy(np.array([object()]))",
    "legacy_constructor_wrong_dtype": "torch.FloatTensor(torch.tensor([1]))",
    "item_of_many": "torch.zeros(2, 3).item()",
    "item_of_empty": "torch.tensor([]).item()",
    "float_of_many": "float(torch.tensor([1.0, 2.0]))",
    "int_of_many": "int(torch.tensor([1, 2]))",
    "bool_of_many": "bool(torch.tensor([1.0, 2.0]))",
    "if_on_tensor": """
        x = torch.tensor([1.0, -1.0])
        if x > 0:
            pass
        """,
    "index_with_float_tensor_scalar": "[1, 2][torch.tensor(1.5)]",
    "len_of_zero_dim": "len(torch.tensor(1.0))",
    "iterate_zero_dim": "iter(torch.tensor(1.0))",
    "numpy_of_requires_grad": "torch.tensor([1.0], requires_grad=True).numpy()",
    # -- devices without CUDA --------------------------------------------------------------
    "cuda_method": "torch.zeros(2).cuda()",
    "to_cuda_string": "torch.zeros(2).to('cuda')",
    "to_cuda_device": "torch.zeros(2).to(torch.device('cuda:0'))",
    "to_cuda_1": "torch.zeros(1).to('cuda:1')",
    "zeros_on_cuda": "torch.zeros(2, device='cuda')",
    "tensor_on_cuda": "torch.tensor([1.0], device='cuda')",
    "ones_like_on_cuda": "torch.ones_like(torch.zeros(2), device='cuda')",
    "cuda_current_device": "torch.cuda.current_device()",
    "device_unknown_type": "torch.device('gpu')",
    "device_bad_index": "torch.device('cuda:x')",
    "device_from_int": "torch.device(0)",
    # -- dtypes -----------------------------------------------------------------------------
    "int_requires_grad_": "torch.tensor([1, 2]).requires_grad_()",
    "int_requires_grad_setter": """
        x = torch.tensor([1, 2])
        x.requires_grad = True
        """,
    "mean_of_ints": "torch.tensor([1, 2]).mean()",
    "std_of_ints": "torch.tensor([1, 2]).std()",
    "var_of_ints": "torch.tensor([1, 2]).var()",
    "norm_of_ints": "torch.tensor([3, 4]).norm()",
    "int_floordiv_by_zero": "torch.tensor([1, 2]) // 0",
    "int_mod_by_zero": "torch.tensor([5]) % torch.tensor([0])",
    "int_negative_power": "torch.tensor([2]) ** -1",
    "int_iadd_float": """
        x = torch.tensor([1, 2])
        x += 1.5
        """,
    "int_itruediv": """
        x = torch.tensor([4, 2])
        x /= 2
        """,
    "int_div_": "torch.tensor([4, 2]).div_(2)",
    "int_exp_": "torch.tensor([1, 2]).exp_()",
    "int_add_float_tensor_inplace": "torch.tensor([1, 2]).add_(torch.tensor([0.5, 0.5]))",
    "bool_mul_int_inplace": "torch.tensor([True]).mul_(2)",
    "bool_subtraction": "torch.tensor([True]) - torch.tensor([False])",
    "bool_negation": "-torch.tensor([True, False])",
    "bool_relu": "torch.relu(torch.tensor([True, False]))",
    "bool_relu_inplace": "torch.nn.functional.relu(torch.tensor([True]), inplace=True)",
    "float_bitwise_and": "torch.tensor([1.0]) & torch.tensor([1.0])",
    "float_invert": "~torch.tensor([1.0])",
    "mm_float_double": "torch.mm(torch.ones(2, 2), torch.ones(2, 2, dtype=torch.float64))",
    "matmul_int_float": "torch.tensor([[1, 2]]) @ torch.ones(2, 1)",
    "dot_mixed_dtypes": "torch.dot(torch.tensor([1, 2]), torch.tensor([1.0, 2.0]))",
    "where_float_condition": "torch.where(torch.tensor([1.0, 0.0]), torch.ones(2), torch.zeros(2))",
    "masked_fill_float_mask": "torch.zeros(2).masked_fill(torch.tensor([1.0, 0.0]), 1.0)",
    "add_string": "torch.tensor([1.0]) + 'a'",
    "add_none": "torch.tensor([1.0]) + None",
    "add_list": "torch.tensor([1.0]) + [1, 2]",
    "type_bad_name": "torch.zeros(1).type('torch.NoSuchTensor')",
    "set_default_dtype_int": "torch.set_default_dtype(torch.int64)",
    # -- broadcasting and shapes -----------------------------------------------------------
    "broadcast_mismatch_last_dim": "torch.ones(2, 3) + torch.ones(2)",
    "broadcast_mismatch_first_dim": "torch.ones(3) * torch.ones(4)",
    "broadcast_mismatch_3d": "torch.ones(2, 3, 4) - torch.ones(3, 3, 1)",
    "broadcast_mismatch_compare": "torch.ones(2, 3) < torch.ones(3, 2)",
    "broadcast_mismatch_where": "torch.where(torch.ones(2, dtype=torch.bool), torch.ones(3), 0.0)",
    "view_wrong_numel": "torch.arange(12).view(4, 4)",
    "view_two_inferred": "torch.arange(12).view(-1, -1)",
    "view_non_divisible": "torch.arange(12).view(5, -1)",
    "view_of_transposed": "torch.arange(6.0).reshape(2, 3).t().view(6)",
    "view_float_size": "torch.zeros(2, 3).view(2, 3.0)",
    "reshape_wrong_numel": "torch.arange(12.0).reshape(5, -1)",
    "reshape_negative": "torch.arange(12.0).reshape(-2, 6)",
    "mm_shapes": "torch.mm(torch.ones(2, 3), torch.ones(2, 3))",
    "mm_vector": "torch.mm(torch.ones(3), torch.ones(3, 2))",
    "mv_shapes": "torch.mv(torch.ones(2, 3), torch.ones(2))",
    "dot_lengths": "torch.dot(torch.ones(3), torch.ones(2))",
    "dot_matrix": "torch.dot(torch.ones(2, 2), torch.ones(2))",
    "matmul_zero_dim": "torch.matmul(torch.tensor(2.0), torch.ones(2))",
    "matmul_shapes": "torch.ones(2, 3) @ torch.ones(2, 3)",
    "matmul_vector_lengths": "torch.ones(3) @ torch.ones(4)",
    "matmul_matrix_vector": "torch.ones(2, 3) @ torch.ones(2)",
    "matmul_batched_shapes": "torch.ones(4, 2, 3) @ torch.ones(4, 2, 3)",
    "bmm_not_3d": "torch.bmm(torch.ones(2, 3), torch.ones(3, 2))",
    "bmm_batch_mismatch": "torch.bmm(torch.ones(2, 2, 3), torch.ones(3, 3, 2))",
    "cat_size_mismatch": "torch.cat([torch.ones(2, 2), torch.ones(3, 3)])",
    "cat_dim_count_mismatch": "torch.cat([torch.ones(2, 2), torch.ones(2)])",
    "cat_zero_dim": "torch.cat([torch.tensor(1.0), torch.tensor(2.0)])",
    "cat_empty_list": "torch.cat([])",
    "cat_non_tensor": "torch.cat([torch.ones(2), [1.0, 2.0]])",
    "cat_dim_out_of_range": "torch.cat([torch.ones(2), torch.ones(2)], dim=1)",
    "stack_size_mismatch": "torch.stack([torch.ones(2), torch.ones(3)])",
    "stack_empty": "torch.stack([])",
    "sum_dim_out_of_range": "torch.ones(2, 3).sum(2)",
    "sum_negative_dim_out_of_range": "torch.ones(2, 3).sum(-3)",
    "mean_dim_out_of_range_zero_dim": "torch.tensor(1.0).mean(1)",
    "max_dim_out_of_range": "torch.ones(2).max(1)",
    "argmax_dim_out_of_range": "torch.ones(2).argmax(dim=3)",
    "softmax_dim_out_of_range": "torch.softmax(torch.ones(2), dim=1)",
    "unsqueeze_out_of_range": "torch.ones(2, 3).unsqueeze(3)",
    "squeeze_out_of_range": "torch.ones(2, 3).squeeze(5)",
    "transpose_out_of_range": "torch.ones(2, 3).transpose(0, 2)",
    "size_out_of_range": "torch.ones(2, 3).size(3)",
    "flatten_bad_order": "torch.ones(2, 3, 4).flatten(2, 1)",
    "permute_wrong_length": "torch.ones(2, 3).permute(0, 1, 2)",
    "permute_duplicates": "torch.ones(2, 3).permute(0, 0)",
    "t_of_3d": "torch.ones(2, 3, 4).t()",
    "expand_mismatch": "torch.ones(3).expand(2, 4)",
    "expand_fewer_dims": "torch.ones(2, 3).expand(3)",
    "expand_minus_one_leading": "torch.ones(3).expand(-1, 3)",
    "narrow_past_end": "torch.arange(4).narrow(0, 2, 3)",
    "narrow_start_out_of_range": "torch.arange(4).narrow(0, 5, 1)",
    "narrow_zero_dim": "torch.tensor(1).narrow(0, 0, 1)",
    "chunk_zero": "torch.zeros(3).chunk(0)",
    "split_sizes_mismatch": "torch.zeros(3).split([1, 1])",
    "max_of_empty": "torch.max(torch.zeros(0))",
    "norm_three_dims": "torch.ones(2, 2, 2).norm(dim=(0, 1, 2))",
    "clamp_without_bounds": "torch.ones(2).clamp()",
    "div_bad_rounding_mode": "torch.div(torch.ones(2), 2, rounding_mode='round')",
    # -- indexing ----------------------------------------------------------------------------
    "index_out_of_range": "torch.arange(3)[5]",
    "index_negative_out_of_range": "torch.arange(3)[-4]",
    "index_second_dim_out_of_range": "torch.ones(2, 3)[:, 3]",
    "index_list_out_of_range": "torch.arange(3)[[0, 5]]",
    "index_tensor_out_of_range": "torch.arange(3)[torch.tensor([3])]",
    "index_too_many": "torch.ones(2, 2)[0, 0, 0]",
    "index_zero_dim": "torch.tensor(1.0)[0]",
    "index_float_tensor": "torch.arange(3)[torch.tensor([0.0, 1.0])]",
    "index_float": "torch.arange(3)[1.0]",
    "index_negative_step": "torch.arange(5)[::-1]",
    "index_zero_step": "torch.arange(5)[::0]",
    "mask_shape_mismatch": "torch.arange(3)[torch.tensor([True, False])]",
    "mask_2d_shape_mismatch": "torch.ones(2, 3)[torch.ones(3, 2, dtype=torch.bool)]",
    "setitem_row_shape_mismatch": """
        x = torch.zeros(2, 2)
        x[0] = torch.ones(3)
        """,
    "setitem_index_shape_mismatch": """
        x = torch.zeros(3, 2)
        x[[0, 1]] = torch.ones(3)
        """,
    "setitem_mask_shape_mismatch": """
        x = torch.zeros(4)
        x[x == 0] = torch.ones(3)
        """,
    "setitem_out_of_range": """
        x = torch.zeros(3)
        x[3] = 1.0
        """,
    # -- in-place ----------------------------------------------------------------------------
    "inplace_broadcast_into_smaller": "torch.ones(3).add_(torch.ones(2, 3))",
    "iadd_broadcast_into_smaller": """
        x = torch.ones(1, 3)
        x += torch.ones(2, 3)
        """,
    "copy_shape_mismatch": "torch.zeros(2, 2).copy_(torch.ones(3))",
    "write_into_expanded": "torch.ones(3, 1).expand(3, 4).add_(1)",
    "fill_with_1d_tensor": "torch.zeros(3).fill_(torch.ones(2))",
    "requires_grad_false_on_non_leaf": """
        x = torch.ones(2, requires_grad=True)
        y = x * 2
        y.requires_grad_(False)
        """,
}

for _name, _code in ERRORS.items():
    cases.snippet(_name, _code, web=_name in (
        "tensor_ragged_nested_list", "int_requires_grad_", "cuda_method", "to_cuda_string",
        "broadcast_mismatch_last_dim", "view_of_transposed", "mm_shapes", "index_out_of_range",
        "int_iadd_float", "cat_size_mismatch", "mean_of_ints", "sum_dim_out_of_range"))


@pytest.mark.parametrize("case", cases.params(), ids=cases.ids())
def test_same_error_as_torch(case):
    check_case(case, expect_error=True)

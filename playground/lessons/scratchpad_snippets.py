"""The scratchpad's starter snippets: seed notebook cells, copied verbatim (trailing spaces
included) so they run here exactly as they were written. tests/lessons/test_scratchpad.py
checks each cell against the seed notebooks and runs every snippet on both engines.

Each snippet is a short notebook: its cells run in one shared namespace, in order; the
first cell imports torch (and numpy) as the notebooks do.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Snippet:
    title: str
    source: str  # which seed notebook the cells come from
    note: str  # what to notice, in a line or two
    cells: tuple


IMPORTS = r"""import torch
import numpy as np"""  # 002[0] (000[0] is the same)

SNIPPETS = {
    "blank": Snippet(
        "Empty notebook", "", "Write your own code: `import torch` gives the app's engine.",
        cells=(IMPORTS, "")),
    "numpy-bridge": Snippet(
        "NumPy bridge: shared memory",
        "003 (dataflowr, Module 2)",
        ("torch.from_numpy shares memory with the array: change one and the other changes too. "
         "b.long() makes a copy with a new dtype."),
        cells=(
            IMPORTS,  # 002[0]
            # 003[8]
            r"""a = np.ones(5)
b = torch.from_numpy(a)
print(a.dtype)
print(b)""",
            # 003[9]
            r"""c = b.long()
print(c.dtype, c)
print(b.dtype, b)""",
            # 003[28]
            r"""a = np.ones(5)
b = torch.from_numpy(a)
print(b)""",
            # 003[29]
            r"""a[2] = 0
print(b)""",
            # 003[30]
            r"""b[3] = 5
print(a)""",
        )),
    "broadcasting": Snippet(
        "Broadcasting",
        "003 (dataflowr, Module 2) and 001 (UW CSE446)",
        ("A (4, 1) tensor plus a (1, 5) tensor gives (4, 5): dimensions of size 1 are "
         "stretched. Shapes are compared from the trailing dimension."),
        cells=(
            IMPORTS,  # 002[0]
            # 003[20]
            r"""A = torch.tensor([[1.], [2.], [3.], [4.]])
print(A.size())
B = torch.tensor([[5., -5., 5., -5., 5.]])
print(B.size())
C = A + B""",
            # 003[21]
            r"""C""",
            # 001[10]
            r"""x=torch.empty(5,1,4,1)
y=torch.empty(  3,1,2)
print((x+y).size())""",
        )),
    "descent": Snippet(
        "Gradient descent on (x - 2)^2",
        "001 (UW CSE446)",
        ("y.backward() fills x.grad; x.data is updated outside the graph and x.grad is zeroed "
         "every step, because backward() adds to .grad."),
        cells=(
            IMPORTS,  # 002[0]
            # 001[13]
            r"""# define func

def f(x):
    return (x-2)**2

x = torch.tensor([1.0], requires_grad=True)

y = f(x)
y.backward()
print(x.grad)""",
            # 001[15]
            r"""def f(x):
    return (x-2)**2

y = f(x)


# begining point
# x is tensor! 
x = torch.tensor([5.0], requires_grad=True)   # tensor start point = 5


step_size = 0.25

print('iter, \tx, \tf(x),  \tf\'(x) pytorch') # a str

# move 15 steps
for i in range(15):
    y = f(x)
    y.backward() # compute the gradient 
      
                # precision = 3 decimal
    print('{}, \t{:.3f}, \t{:.3f}, \t{:.3f}'.format(i, x.item(), f(x).item(),  x.grad.item()))
    
    # x.data, not x
    x.data = x.data - step_size * x.grad # perform a GD update step
                                # x.grad must be calc separately if not apply torch
        
    # zero the grad variable each iteration since the backward()
    # call accumulates the gradients in .grad instead of overwriting.
    # The detach_() is for efficiency. 
    x.grad.detach_()
    x.grad.zero_()""",
            # 001[16]
            r"""# print the last gradient (should be 0)
print(x.grad.view(1).detach().numpy())""",
            # 001[17]
            r"""# simplify

# define the func
def f(x):
    return (x-2)**2
y = f(x)


# define the tensor
x = torch.tensor([5.0], requires_grad=True) 


# step size
step_size = 0.25

# update f(x)
for i in range(15):
    y = f(x)
    y.backward()
    x.data = x.data - step_size * x.grad
    x.grad.detach_()
    x.grad.zero_()

print('x',x,'y',y) """,
        )),
    "autograd": Snippet(
        "Autograd: the gradient of a sum",
        "002 (PyTorch introduction)",
        ("t = sum((x + 5)^2 + 1) at x = 1: dt/dx = 2 (x + 5) = 12 for every entry."),
        cells=(
            IMPORTS,  # 002[0]
            # 002[6]
            r"""x = torch.ones([3,2],requires_grad=True)

y = x + 5

z = y*y + 1""",
            # 002[7]
            r"""t = torch.sum(z)
print(t)
t.backward()""",
            # 002[8]
            r"""x.grad""",
        )),
    "w-and-b": Snippet(
        "W and b: gradients accumulate",
        "000 (HSLU, week 01)",
        ("Calling backward() twice adds up the gradients until you set .grad to None; updating "
         "a leaf that requires grad in place fails outside torch.no_grad()."),
        cells=(
            IMPORTS,  # 000[0]
            # 000[7]
            r"""x = torch.tensor([[1,2,3]],dtype=torch.double).T
#declear W and b as tensors with gradient determination
W = torch.randn([2,3],dtype=torch.double, requires_grad=True) 
b = torch.randn([2,1],dtype=torch.double, requires_grad=True) 

#calculate a function called 'cost'
a = W@x + b
cost = a.T@a
print(cost.item())

#now call backward() on 'cost' to determine the gradients of W and b
cost.backward()

#print the result
print(W.grad.numpy())
print(b.grad.numpy())""",
            # 000[8]
            r"""#repeat the same calculation 
a = W@x + b
cost = a.T@a
print(cost.item())

#now call backward() on 'cost' to determine the gradients of W and b
cost.backward()

#print the result
print(W.grad.numpy())
print(b.grad.numpy())""",
            # 000[9]
            r"""#repeat the same calculation 
a = W@x + b
cost = a.T@a
print(cost.item())

#clear the grad entry of W and b
W.grad = None
b.grad = None

#now call backward() on 'cost' to determine the gradients of W and b
cost.backward()

#print the result
print(W.grad.numpy())
print(b.grad.numpy())""",
            # 000[10]
            r"""#the following call (W += ...) will raise an error as long as the first statement (with torch.no_grad():) is commented
#with torch.no_grad():
W += W.grad
W -= W.grad""",
            # 000[11]
            r"""with torch.no_grad():
    W_grad = 2*a*x.T
    b_grad = 2*a
    print(W_grad.numpy())
    print(b_grad.numpy())""",
            # 000[12]
            r"""eps = 1e-7
W_grad = torch.zeros(W.shape,dtype=torch.double)
for row in range(0, W.shape[0]):
    for col in range(0, W.shape[1]):
        dw = torch.zeros(W.shape,dtype=torch.double)
        dw[row,col] = eps
        a_eps = (W+dw)@x + b
        cost_eps = a_eps.T@a_eps
        W_grad[row,col] = (cost_eps - cost)/eps
        
print(W_grad)

b_grad = torch.zeros(b.shape,dtype=torch.double)
for row in range(0, b.shape[0]):
    db = torch.zeros(b.shape,dtype=torch.double)
    db[row,0] = eps
    a_eps = W@x + b + db
    cost_eps = a_eps.T@a_eps
    b_grad[row,0] = (cost_eps - cost)/eps

print(b_grad)""",
        )),
    "retain-graph": Snippet(
        "Backward twice: retain_graph",
        "003 (dataflowr, Module 2)",
        ("Only floating point tensors can require gradients; the graph is freed by backward() "
         "unless retain_graph=True, so a second backward() fails."),
        cells=(
            IMPORTS,  # 002[0]
            # 003[44]
            r"""w = np.array([0.5])
b = np.array([2])
xx = np.array([0.5])#np.arange(0,1.5,.5)""",
            # 003[45]
            r"""xx_t = torch.from_numpy(xx)
w_t = torch.from_numpy(w)
b_t = torch.from_numpy(b)""",
            # 003[46]
            r"""w_t.requires_grad""",
            # 003[47]
            r"""w_t.requires_grad_(True)""",
            # 003[48]
            r"""b_t.requires_grad_(True)""",
            # 003[49]
            r"""dtype = torch.float64""",
            # 003[50]
            r"""b_t = b_t.type(dtype)""",
            # 003[51]
            r"""b_t.requires_grad_(True)""",
            # 003[52]
            r"""def fun(x,ystar):
    y = torch.exp(w_t*x+b_t)
    print(y)
    return torch.sum((y-ystar)**2)

ystar_t = torch.randn_like(xx_t)
l_t = fun(xx_t,ystar_t)""",
            # 003[53]
            r"""l_t""",
            # 003[54]
            r"""l_t.requires_grad""",
            # 003[55]
            r"""print(w_t.grad)""",
            # 003[56]
            r"""l_t.backward()""",
            # 003[57]
            r"""print(w_t.grad)
print(b_t.grad)""",
            # 003[58]
            r"""yy_t = torch.exp(w_t*xx_t+b_t)
print(torch.sum(2*(yy_t-ystar_t)*yy_t*xx_t))
print(torch.sum(2*(yy_t-ystar_t)*yy_t))""",
            # 003[59]
            r"""l_t = fun(xx_t,ystar_t)
l_t.backward()""",
            # 003[60]
            r"""print(w_t.grad)
print(b_t.grad)""",
            # 003[61]
            r"""l_t.backward()""",
            # 003[62]
            r"""# Manually zero the gradients
w_t.grad.data.zero_()
b_t.grad.data.zero_()
l_t = fun(xx_t,ystar_t)
l_t.backward(retain_graph=True)
l_t.backward()
print(w_t.grad)
print(b_t.grad)""",
        )),
}

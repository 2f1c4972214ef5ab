"""Colours shared by the plots, so run k has the same colour in every widget."""

# Category10, reordered so the first runs stand out on the contour plot's green-blue bands.
RUN_COLORS = ["#d62728", "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2",
              "#7f7f7f", "#bcbd22", "#17becf"]


def run_color(i: int) -> str:
    return RUN_COLORS[i % len(RUN_COLORS)]

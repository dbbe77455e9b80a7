"""Toolkit that writes the annual 部门（单位）决算公开 report and the 绩效自评 results from YAML."""

__version__ = "0.1.0"

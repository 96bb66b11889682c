"""convlab's JupyterLab extension: the prebuilt @convlab/jupyterlab, installed by this wheel as shared
data into <environment>/share/jupyter/labextensions/@convlab/jupyterlab, where JupyterLab 4 finds it."""

__version__ = "0.1.0"

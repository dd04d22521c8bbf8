import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# Tests never write into the user's real run history.
os.environ["LSTM_LENS_HOME"] = tempfile.mkdtemp(prefix="lstm-lens-tests-")
AWKWARD = ROOT / "tests" / "data" / "awkward"


def _run_the_entrypoint_every_time():
    """AppTest as the server runs the app: app.py (language, sign-in, the run in the URL, navigation) on every rerun.

    AppTest forgets between runs that app.py calls st.navigation, sees the pages/ folder and, from the second run on,
    runs the page alone in the old pages-folder mode; the server remembers, so app.py frames every run there.
    Where Streamlit is not installed (a GPU machine running the model tests alone) there are no pages to frame."""
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:
        return

    if getattr(PagesManager.__init__, "_entrypoint_every_time", False):
        return
    plain_init = PagesManager.__init__

    def init(self, *args, **kwargs):
        plain_init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    init._entrypoint_every_time = True
    PagesManager.__init__ = init


_run_the_entrypoint_every_time()

if os.environ.get("KERAS_BACKEND") == "torch":  # on a GPU: exact float32, as the NumPy replay computes, not cuDNN's TF32
    import torch

    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cuda.matmul.allow_tf32 = False
if os.environ.get("KERAS_BACKEND") == "jax":  # likewise: XLA's float32 products on a GPU default to TF32
    import jax

    jax.config.update("jax_default_matmul_precision", "highest")


def shown(element) -> str:
    """An AppTest text element as the reader sees it: Markdown escapes (a backslash before punctuation) removed."""
    import re

    return re.sub(r"\\([^\w\s])", r"\1", element.value)


def train_page(models: list[str]):
    """A new AppTest session on the Train page (the default sample loaded) with these models chosen."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    at.switch_page("pages/train.py").run()
    at.multiselect[0].set_value(models)
    return at


def randomise_recurrent(model, kind: str, seed: int = 0):
    """Give every ``kind`` layer (LSTM or GRU) of a Keras model large random weights, so replays are tested away from
    Keras' initial values; returns the model."""
    import numpy as np

    rng = np.random.default_rng(seed)
    for layer in model.layers:
        if layer.__class__.__name__ == kind:
            layer.set_weights([rng.normal(0, 0.5, w.shape).astype("float32") for w in layer.get_weights()])
    return model

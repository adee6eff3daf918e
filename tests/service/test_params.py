import pytest

from zaws.service.params import Params
from zaws.service.uris import InvalidParams

ALLOWED = frozenset({"name", "count", "confirm"})


def params(raw: object) -> Params:
    return Params("zaws/x", raw, ALLOWED)


def test_missing_params_are_an_empty_object() -> None:
    assert params(None).string("name") is None


@pytest.mark.parametrize("raw", [[1, 2], "x", 5, True])
def test_params_must_be_an_object(raw: object) -> None:
    with pytest.raises(InvalidParams):
        params(raw)


def test_unknown_params_are_named() -> None:
    with pytest.raises(InvalidParams, match="unknown params: nmae"):
        params({"nmae": "x"})


def test_work_done_token_is_allowed_everywhere() -> None:
    params({"workDoneToken": "t"})


def test_types_are_checked_with_the_param_name() -> None:
    with pytest.raises(InvalidParams, match="name must be a string, got a number"):
        params({"name": 5}).string("name")
    with pytest.raises(InvalidParams, match="count must be an integer, got a boolean"):
        params({"count": True}).integer("count", minimum=1, maximum=10)
    with pytest.raises(InvalidParams, match="between 1 and 10, got 11"):
        params({"count": 11}).integer("count", minimum=1, maximum=10)
    with pytest.raises(InvalidParams, match="confirm must be true or false, got a string"):
        params({"confirm": "yes"}).boolean("confirm", default=False)
    with pytest.raises(InvalidParams, match="needs the param name"):
        params({}).required_string("name")
    with pytest.raises(InvalidParams, match="must not be empty"):
        params({"name": " "}).string("name")


def test_numbers_and_string_arrays() -> None:
    allowed = frozenset({"share", "names"})
    assert Params("zaws/x", {"share": 100}, allowed).number("share", above=0, maximum=100) == 100
    assert Params("zaws/x", {}, allowed).number("share", above=0, maximum=100) is None
    for bad, message in [(0, "above 0"), (100.5, "at most 100"), (True, "must be a number")]:
        with pytest.raises(InvalidParams, match=message):
            Params("zaws/x", {"share": bad}, allowed).number("share", above=0, maximum=100)
    assert Params("zaws/x", {"names": ["a", "b"]}, allowed).strings("names") == ["a", "b"]
    assert Params("zaws/x", {}, allowed).strings("names") is None
    for bad, message in [([], "must not be empty"), (["a", ""], "only non-empty"), ("a", "array")]:
        with pytest.raises(InvalidParams, match=message):
            Params("zaws/x", {"names": bad}, allowed).strings("names")

import json


def stored(data) -> dict:
    return json.loads(data.read_text(encoding="utf-8"))["persons"]

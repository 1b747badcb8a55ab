"""Human-facing references (expedite requests, fraud reports, …): random, unguessable, with a check character.

``EXP-7K2Q-9PMX``, ``FR-…``: seven random characters of Crockford's base 32 (no I, L, O or U, so nothing is misread)
and one check character computed with the Luhn mod N algorithm, which catches any single mistyped character
and any swap of two neighbours. 32^7 (34 billion) references per prefix: nobody walks through them.
"""

import secrets

from django.db import IntegrityError, transaction

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CONFUSABLE = str.maketrans({"I": "1", "L": "1", "O": "0"})


def _check_character(body):
    factor, total, n = 2, 0, len(ALPHABET)
    for char in reversed(body):
        addend = factor * ALPHABET.index(char)
        factor = 1 if factor == 2 else 2
        total += addend // n + addend % n
    return ALPHABET[(n - total % n) % n]


def reference_generate(prefix):
    body = "".join(secrets.choice(ALPHABET) for _ in range(7))
    code = body + _check_character(body)
    return f"{prefix}-{code[:4]}-{code[4:]}"


def references_generate(prefix, count):
    """``count`` references of ``prefix`` at once, as ``reference_generate`` draws them (for an import that
    creates many rows: a few microseconds each). They may, rarely, repeat: the caller's unique constraint
    decides."""
    n = len(ALPHABET)
    raw = secrets.token_bytes(7 * count)  # 256 is a multiple of 32: each byte % 32 is uniform
    body = raw.translate(bytes(ord(ALPHABET[i % n]) for i in range(256))).decode("ascii")
    one = [i % n for i in range(256)]  # the check character's addend of a character, by factor 1 and 2
    two = [(2 * (i % n)) // n + (2 * (i % n)) % n for i in range(256)]
    checks = [ALPHABET[(n - (two[raw[s + 6]] + one[raw[s + 5]] + two[raw[s + 4]] + one[raw[s + 3]]
                             + two[raw[s + 2]] + one[raw[s + 1]] + two[raw[s]]) % n) % n]
              for s in range(0, 7 * count, 7)]
    return [f"{prefix}-{body[s:s + 4]}-{body[s + 4:s + 7]}{checks[s // 7]}" for s in range(0, 7 * count, 7)]


def _code(value, prefix):
    """The eight characters after ``prefix`` in ``value`` as typed, or None. The prefix is matched before the
    confusable letters are read as digits: a prefix may hold an I (``INQ``)."""
    typed = "".join(str(value or "").upper().split()).replace("-", "")
    if not typed.startswith(prefix):
        return None
    code = typed[len(prefix):].translate(_CONFUSABLE)
    if len(code) != 8 or any(char not in ALPHABET for char in code) or _check_character(code[:7]) != code[7]:
        return None
    return code


def reference_is_valid(value, prefix):
    return _code(value, prefix) is not None


def reference_typed(value, prefix):
    """The reference ``value`` was typed for, as stored (``INQ-9ZRW-RA4Z``); None when it is not one."""
    code = _code(value, prefix)
    return None if code is None else f"{prefix}-{code[:4]}-{code[4:]}"


def save_with_new_reference(instance, prefix, *, attempts=5):
    """Insert ``instance`` under a fresh reference in ``instance.reference``, drawing again in the unlikely
    case the one drawn is taken. Any other integrity error is raised as it is."""
    for _attempt in range(attempts):
        instance.reference = reference_generate(prefix)
        try:
            with transaction.atomic():
                instance.save(force_insert=True)
            return instance
        except IntegrityError:
            if not type(instance)._default_manager.filter(reference=instance.reference).exists():
                raise
            instance.pk = None
    raise IntegrityError(f"no free {prefix} reference after {attempts} draws")

"""Identifiers that carry check characters, and phone and account numbers.

- Resident ID numbers (公民身份号码, GB 11643): 6-digit area, 8-digit birth
  date, 3-digit sequence, ISO 7064 MOD 11-2 check character.
- Unified social credit codes (统一社会信用代码, GB 32100): registration
  authority, entity type, 6-digit area, 9-character organisation code (with
  its own GB 11714 check), MOD 31 check character.

Validators live beside the generators so tests (and anyone importing
data) check with the same rules.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from math import gcd

# --- resident ID numbers (GB 11643-1999) --------------------------------------

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"

# Shenzhen's area codes as they appear on ID cards: 440301 (the city, for
# cards issued before the districts' own codes) and the districts.
SHENZHEN_AREA_CODES = (
    "440301",
    "440303",
    "440304",
    "440305",
    "440306",
    "440307",
    "440308",
    "440309",
    "440310",
    "440311",
)


def id_check_char(first17: str) -> str:
    """The 18th character of a resident ID number whose first 17 digits are given."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def is_valid_id_number(value: str) -> bool:
    """Length, digits, a real birth date, and the check character."""
    if len(value) != 18 or not value[:17].isdigit():
        return False
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return value[17] == id_check_char(value[:17])


class IdNumberSpace:
    """A bijection from owner index (0, 1, 2 ...) to distinct ID numbers.

    The space is (area, birth date, sequence 001-999). Index ``i`` maps to
    position ``(a*i + b) mod N`` with ``a`` coprime to ``N``, an affine
    permutation: distinct indexes give distinct numbers without keeping a
    set of the three million already issued, and consecutive owners still
    look unrelated. ``a`` and ``b`` come from the seed.

    The check character is a weighted digit sum, so each part's share of the
    sum is precomputed and a number costs a few lookups.
    """

    def __init__(
        self,
        rng: random.Random,
        areas: tuple[str, ...] = SHENZHEN_AREA_CODES,
        born_from: date = date(1945, 1, 1),
        born_until: date = date(2004, 12, 31),
    ) -> None:
        days = (born_until - born_from).days + 1
        self._areas = [(code, _weighted(code, 0)) for code in areas]
        self._days = []
        for offset in range(days):
            text = (born_from + timedelta(days=offset)).strftime("%Y%m%d")
            self._days.append((text, _weighted(text, 6)))
        self._sequences = [(f"{n:03d}", _weighted(f"{n:03d}", 14)) for n in range(1, 1000)]
        # An affine map walks a regular lattice (consecutive owners would be
        # born a fixed stride apart); shuffling the tables, itself a
        # bijection, hides the stride.
        rng.shuffle(self._areas)
        rng.shuffle(self._days)
        rng.shuffle(self._sequences)
        self.size = len(self._areas) * days * len(self._sequences)
        multiplier = rng.randrange(self.size // 3, 2 * self.size // 3)
        while gcd(multiplier, self.size) != 1:
            multiplier += 1
        self._multiplier = multiplier
        self._offset = rng.randrange(self.size)

    def __len__(self) -> int:
        return self.size

    def number(self, index: int) -> str:
        if not 0 <= index < self.size:
            raise IndexError(f"ID number index {index} outside 0..{self.size - 1}")
        position = (self._multiplier * index + self._offset) % self.size
        position, sequence = divmod(position, len(self._sequences))
        area, day = divmod(position, len(self._days))
        area_text, area_sum = self._areas[area]
        day_text, day_sum = self._days[day]
        seq_text, seq_sum = self._sequences[sequence]
        return area_text + day_text + seq_text + ID_CHECK_CHARS[(area_sum + day_sum + seq_sum) % 11]


def _weighted(digits: str, start: int) -> int:
    return sum(int(d) * w for d, w in zip(digits, ID_WEIGHTS[start:], strict=False))


# --- unified social credit codes (GB 32100-2015) -------------------------------

CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
SHENZHEN_CREDIT_AREAS = ("440300", *tuple(f"4403{n:02d}" for n in range(3, 13)))


def credit_check_char(first17: str) -> str:
    """The 18th character of a unified social credit code (MOD 31)."""
    total = sum(
        CREDIT_CHARSET.index(char) * weight
        for char, weight in zip(first17, CREDIT_WEIGHTS, strict=True)
    )
    return CREDIT_CHARSET[(31 - total % 31) % 31]


def org_code_check_char(body8: str) -> str:
    """The 9th character of an organisation code (GB 11714, MOD 11)."""
    # Letters count from 10 (A) as in base 36.
    total = sum(int(c, 36) * weight for c, weight in zip(body8, ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def is_valid_credit_code(value: str) -> bool:
    """Charset, length, the embedded organisation code's check and the final check."""
    if len(value) != 18 or any(char not in CREDIT_CHARSET for char in value):
        return False
    return (
        org_code_check_char(value[8:16]) == value[16] and credit_check_char(value[:17]) == value[17]
    )


def credit_code(rng: random.Random) -> str:
    """A Shenzhen enterprise's code: 9 (market regulator) 1 (enterprise) + area + org code."""
    area = rng.choice(SHENZHEN_CREDIT_AREAS)
    body = "".join(rng.choice(CREDIT_CHARSET) for _ in range(8))
    first17 = "91" + area + body + org_code_check_char(body)
    return first17 + credit_check_char(first17)


# --- phones and bank accounts ------------------------------------------------

# Mainland mobile number blocks in use (China Mobile, Unicom, Telecom).
MOBILE_PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "134",
    "135",
    "136",
    "137",
    "138",
    "139",
    "147",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "173",
    "175",
    "176",
    "177",
    "178",
    "180",
    "181",
    "182",
    "183",
    "184",
    "185",
    "186",
    "187",
    "188",
    "189",
    "191",
    "198",
    "199",
)


def mobile(rng: random.Random) -> str:
    """An 11-digit mainland mobile number, 1[3-9]x + 8 digits."""
    return MOBILE_PREFIXES[int(rng.random() * len(MOBILE_PREFIXES))] + f"{rng.randrange(10**8):08d}"


def landline(rng: random.Random) -> str:
    """A Shenzhen landline, ``0755-8xxxxxxx``."""
    return f"0755-{rng.choice('2368')}{rng.randrange(10**7):07d}"


def bank_account(rng: random.Random) -> str:
    """A corporate account number of 16 to 19 digits."""
    length = rng.randint(16, 19)
    return str(rng.randint(1, 9)) + "".join(str(rng.randrange(10)) for _ in range(length - 1))

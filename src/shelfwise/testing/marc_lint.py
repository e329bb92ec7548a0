"""MARC::Lint (Debian libmarc-lint-perl), the Library of Congress-rules checker the MARC
tests run over what we export and serve: warnings as a multiset, so a test can ask
whether our output draws any warning its input did not."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections import Counter
from typing import BinaryIO

from shelfwise.testing import tools

LINT_SCRIPT = r"""
use strict; use warnings;
use MARC::File::USMARC; use MARC::Lint;
binmode STDOUT, ':utf8';
my $lint = MARC::Lint->new;
my $file = MARC::File::USMARC->in($ARGV[0]) or die "cannot open $ARGV[0]";
while (my $record = $file->next) {
    $lint->check_record($record);
    print "$_\n" for $lint->warnings;
}
"""


def need_marc_lint() -> None:
    """MARC::Lint or the missing-tool rule of :mod:`shelfwise.testing.tools`."""
    found = shutil.which("perl") is not None and (
        subprocess.run(["perl", "-MMARC::Lint", "-e1"], capture_output=True, check=False).returncode
        == 0
    )
    if not found:
        tools.missing("the Perl module MARC::Lint", "the Debian package libmarc-lint-perl")


def lint_warnings(iso2709: BinaryIO) -> Counter[str]:
    """MARC::Lint's warnings over an ISO 2709 stream, counted. A control character in a
    message is shown as "?", the subfield code our reader repairs such a code to."""
    with tempfile.NamedTemporaryFile(suffix=".mrc") as handle:
        handle.write(iso2709.read())
        handle.flush()
        result = subprocess.run(
            ["perl", "-e", LINT_SCRIPT, handle.name], capture_output=True, check=False
        )
    if result.returncode != 0:
        raise RuntimeError(result.stderr.decode("utf-8", "replace"))
    lines = result.stdout.decode("utf-8", "replace").split("\n")
    return Counter(re.sub("[\x00-\x1f]", "?", line).strip() for line in lines if line.strip())

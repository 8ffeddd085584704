"""``gongkai catalogue import``: an agency's existing disclosure catalogue into the database.

Exit codes: 0 imported; 1 rows with errors (each listed on stderr, nothing imported); 2 the
file, the attachments folder or the agency could not be read. Django is imported only when run.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .errors import CommandError


def register(subparsers) -> None:
    catalogue = subparsers.add_parser("catalogue", help="主动公开目录")
    actions = catalogue.add_subparsers(dest="catalogue_command", metavar="ACTION")
    actions.required = True
    load = actions.add_parser("import", help="导入机构已有的公开目录（有错误行时逐条列出，不导入任何一行）")
    load.add_argument("file", metavar="FILE", help="目录文件（CSV：UTF-8 或 GBK；或 XLSX）")
    load.add_argument("--agency", required=True, metavar="NAME", help="机构全称")
    load.add_argument("--attachments", metavar="DIR", help="附件文件夹（「附件」列写的文件名在此查找）")
    load.add_argument("--already-published", action="store_true",
                      help="作为已发布的历史信息导入（不经审核直接公开；须用 --by 指定本机构的机构管理员，并记录）")
    load.add_argument("--by", metavar="USERNAME", help="导入人的用户名（--already-published 时必填，须为本机构机构管理员）")
    load.add_argument("--data-dir", metavar="DIR", help="数据目录（默认 ./var）")
    load.set_defaults(handler=run_import)


def run_import(args) -> int:
    from .web import setup_django

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CommandError(f"{path}: 文件不存在") from None
    except OSError as error:
        raise CommandError(f"{path}: 无法读取文件（{error.strerror}）") from None
    setup_django(data_dir=args.data_dir)
    from django.contrib.auth import get_user_model
    from django.core.exceptions import PermissionDenied

    from gongkai.web.disclosure.catalogue_import import (
        AttachmentFolder,
        CatalogueHasErrors,
        CatalogueUnreadable,
        catalogue_import,
    )

    from .ledger_db import _agency

    agency = _agency(args.agency)
    importer = None
    if args.by:
        importer = get_user_model().objects.filter(username=args.by, is_active=True).first()
        if importer is None:
            raise CommandError(f"--by：没有名为「{args.by}」的有效用户")
    try:
        attachments = AttachmentFolder(args.attachments) if args.attachments else None
        result = catalogue_import(agency=agency, data=data, source=path.name, attachments=attachments,
                                  acting_user=importer, already_published=args.already_published)
    except PermissionDenied as error:
        raise CommandError(str(error)) from None
    except CatalogueUnreadable as error:
        raise CommandError(f"{path}: {error}") from None
    except CatalogueHasErrors as error:
        for row_error in error.errors:
            print(f"{path}: {row_error}", file=sys.stderr)
        print(f"目录有 {len(error.errors)} 处错误，未导入任何信息", file=sys.stderr)
        return 1
    print(f"{agency.full_name}：{result}")
    return 0

#!/usr/bin/env python3
"""Writes the example month: February 2022 of attendance for the bodies the
Nghệ An inspection visited, one record per person and working day.

    python3 examples/gen_month.py

writes, next to this script:

- nghe-an-2022-02.ndjson: the inspection's records, one JSON object a line,
  with the fields of nghe-an-2022-02-09.ndjson (rules/nghe-an.rules);
- nghe-an-2022-02.cham-cong.csv: the attendance machine's export of the same
  days, as may-cham-cong.source reads it (byte-order mark, CRLF, two title
  rows, Vietnamese headers, 07/02/2022, 07:15:29, Có/Không, --:--).

Python 3 standard library only. The output depends on SEED alone: running
the script again gives the same bytes.

The month: working days are Monday to Friday; the Tết holiday ran from
31/01 to 04/02/2022, so the first records are of Monday 07/02. What is in
it, on purpose (the README lists it in full):

- most people arrive by 07:30 and leave after 17:00, every day;
- a few arrive late often: four people more than three times in the month,
  one exactly three times (the most the repeat-lateness rule allows), some
  once or twice;
- one person leaves at about 15:10 for a whole week (under 8 h each day,
  a week short of 40 h);
- some records have no departure (the person did not clock out);
- a few records of civil servants and public employees without a badge;
- a few days of leave (no record that day);
- the one-stop centre's counter staff carry `handles_procedures` and the
  count of `overdue_procedures`: overdue on more than 5 % of its records;
  the two district one-stop counters have none;
- a breath-alcohol spot check at UBND huyện Nghi Lộc on 14/02 (all 0.0).
"""

import datetime
import json
import os
import random

SEED = 20220207
HERE = os.path.dirname(os.path.abspath(__file__))
NDJSON = os.path.join(HERE, "nghe-an-2022-02.ndjson")
CSV = os.path.join(HERE, "nghe-an-2022-02.cham-cong.csv")

TET = (datetime.date(2022, 1, 31), datetime.date(2022, 2, 4))


def working_days():
    """Monday to Friday of February 2022, Tết left out."""
    day = datetime.date(2022, 2, 1)
    while day.month == 2:
        if day.weekday() < 5 and not (TET[0] <= day <= TET[1]):
            yield day
        day += datetime.timedelta(days=1)


CENTRE = "Trung tâm Phục vụ hành chính công tỉnh"

# (id, name, unit, role, position, extra) — `extra` says what is special about
# the person: "head", "counter:<desk>", "district_counter", or a habit below.
PEOPLE = [
    ("NA-1001", "Nguyễn Đình Hùng", "Sở Nội vụ", "civil_servant", "Giám đốc Sở", "head"),
    ("NA-1002", "Trần Thị Minh Nguyệt", "Sở Nội vụ", "civil_servant", "Phó Giám đốc Sở", ""),
    ("NA-1003", "Lê Văn Thắng", "Sở Nội vụ", "civil_servant", "Chuyên viên", "late:5"),
    ("NA-1004", "Hồ Thị Lan Anh", "Sở Nội vụ", "civil_servant", "Chuyên viên", ""),
    ("NA-1005", "Phan Văn Dũng", "Sở Nội vụ", "civil_servant", "Thanh tra viên", "late:1"),
    ("NA-1006", "Nguyễn Thị Thu Trang", "Sở Nội vụ", "public_employee", "Viên chức Trung tâm Lưu trữ lịch sử", ""),
    ("NA-1007", "Võ Văn Tài", "Sở Nội vụ", "contract", "Lái xe", ""),
    ("NA-1101", "Thái Bá Lộc", "Sở Tư pháp", "civil_servant", "Giám đốc Sở", "head"),
    ("NA-1102", "Đặng Thị Hải Yến", "Sở Tư pháp", "civil_servant", "Chánh Thanh tra Sở", ""),
    ("NA-1103", "Nguyễn Cảnh Tuấn", "Sở Tư pháp", "civil_servant", "Chuyên viên", "late:3"),
    ("NA-1104", "Trương Thị Huyền", "Sở Tư pháp", "civil_servant", "Chuyên viên", "nobadge:2"),
    ("NA-1105", "Lê Thị Quế", "Sở Tư pháp", "public_employee", "Trợ giúp viên pháp lý", "late:2"),
    ("NA-1106", "Hoàng Văn Thịnh", "Sở Tư pháp", "contract", "Nhân viên văn thư", ""),
    ("NA-1201", "Hồ Đức Phương", "Sở Công Thương", "civil_servant", "Giám đốc Sở", "head"),
    ("NA-1202", "Chu Thị Mỹ Linh", "Sở Công Thương", "civil_servant", "Chuyên viên", "short_week"),
    ("NA-1203", "Bùi Xuân Trường", "Sở Công Thương", "civil_servant", "Chuyên viên", ""),
    ("NA-1204", "Nguyễn Văn Quý", "Sở Công Thương", "public_employee", "Viên chức Trung tâm Khuyến công", "late:1"),
    ("NA-1301", "Phan Thị Thanh Thủy", CENTRE, "civil_servant", "Giám đốc Trung tâm", "head"),
    ("NA-1302", "Nguyễn Thị Hoài", CENTRE, "civil_servant", "Công chức Sở Tư pháp biệt phái", "counter:Quầy 3 - Sở Tư pháp"),
    ("NA-1303", "Lê Đình Phúc", CENTRE, "civil_servant", "Công chức Sở Tài nguyên và Môi trường biệt phái", "counter:Quầy 7 - Sở Tài nguyên và Môi trường"),
    ("NA-1304", "Đậu Thị Vân", CENTRE, "public_employee", "Viên chức Trung tâm", "counter:Quầy 1 - Tiếp nhận chung"),
    ("NA-1305", "Hồ Thị Thanh Bình", CENTRE, "civil_servant", "Công chức Sở Xây dựng biệt phái", "counter:Quầy 9 - Sở Xây dựng"),
    ("NA-1306", "Trần Quang Khải", CENTRE, "civil_servant", "Công chức Sở Kế hoạch và Đầu tư biệt phái", "counter:Quầy 5 - Sở Kế hoạch và Đầu tư"),
    ("NA-1307", "Ngô Thị Phương Thảo", CENTRE, "civil_servant", "Công chức Sở Giao thông Vận tải biệt phái", "counter:Quầy 10 - Sở Giao thông Vận tải"),
    ("NA-1308", "Vương Đình Huấn", CENTRE, "civil_servant", "Công chức Sở Lao động - Thương binh và Xã hội biệt phái", "counter:Quầy 12 - Sở Lao động - Thương binh và Xã hội"),
    ("NA-1309", "Cao Văn Hải", CENTRE, "contract", "Bảo vệ", ""),
    ("NA-1401", "Nguyễn Cảnh Toàn", "UBND huyện Nghi Lộc", "civil_servant", "Chủ tịch UBND huyện", "head"),
    ("NA-1402", "Võ Thị Hương", "UBND huyện Nghi Lộc", "civil_servant", "Chánh Văn phòng HĐND và UBND huyện", ""),
    ("NA-1403", "Hoàng Văn Cường", "UBND huyện Nghi Lộc", "civil_servant", "Công chức Bộ phận một cửa", "district_counter"),
    ("NA-1404", "Đinh Xuân Sang", "UBND huyện Nghi Lộc", "civil_servant", "Chuyên viên", "late:4"),
    ("NA-1405", "Trần Thị Hiền", "UBND huyện Nghi Lộc", "civil_servant", "Chuyên viên", "nobadge:1"),
    ("NA-1406", "Phạm Văn Đức", "UBND huyện Nghi Lộc", "public_employee", "Viên chức Trung tâm Văn hóa - Thể thao", ""),
    ("NA-1407", "Trần Văn Bình", "UBND huyện Nghi Lộc", "contract", "Bảo vệ", ""),
    ("NA-1501", "Nguyễn Hữu Thành", "UBND thành phố Vinh", "civil_servant", "Chủ tịch UBND thành phố", "head"),
    ("NA-1502", "Nguyễn Thị Kim Oanh", "UBND thành phố Vinh", "civil_servant", "Công chức Bộ phận một cửa", "district_counter"),
    ("NA-1503", "Trần Đình Khoa", "UBND thành phố Vinh", "civil_servant", "Chuyên viên", "late:6"),
    ("NA-1504", "Phạm Thị Thùy Dung", "UBND thành phố Vinh", "civil_servant", "Chuyên viên", "late:2"),
    ("NA-1505", "Lê Hữu Tình", "UBND thành phố Vinh", "civil_servant", "Phó Chánh Văn phòng HĐND và UBND thành phố", ""),
    ("NA-1506", "Lê Văn Quyết", "UBND thành phố Vinh", "public_employee", "Viên chức Ban Quản lý dự án", "nobadge:2"),
    ("NA-1507", "Đặng Văn Minh", "UBND thành phố Vinh", "civil_servant", "Thanh tra viên", "late:1"),
]

# A one-stop counter late often too: not every late person sits in an office.
EXTRA_HABITS = {"NA-1307": "late:4"}

# Days of leave: (id, day of February).
LEAVE = {("NA-1002", 16), ("NA-1002", 17), ("NA-1104", 22), ("NA-1306", 10), ("NA-1505", 28)}

# Days a person did not clock out: (id, day of February).
NO_DEPARTURE = {
    ("NA-1004", 9), ("NA-1103", 15), ("NA-1203", 21), ("NA-1305", 11),
    ("NA-1402", 24), ("NA-1404", 18), ("NA-1503", 23), ("NA-1006", 28),
}

# The centre's overdue files: (id, day of February) -> count. The land desk
# (Sở Tài nguyên và Môi trường) falls behind most.
OVERDUE = {
    ("NA-1303", 8): 2, ("NA-1303", 9): 2, ("NA-1303", 15): 1, ("NA-1303", 16): 3,
    ("NA-1303", 22): 1, ("NA-1303", 25): 2,
    ("NA-1305", 17): 1, ("NA-1305", 18): 1,
    ("NA-1308", 24): 1,
}

# Days a counter was found empty when the team looked: (id, day of February).
AWAY_FROM_COUNTER = {("NA-1306", 21), ("NA-1304", 14)}

# Other findings of the inspection team, each on one day.
NO_MASK = {("NA-1203", 10), ("NA-1505", 16)}
CASUAL = {("NA-1004", 25)}

SHORT_WEEK = (14, 18)  # NA-1202 leaves at about 15:10 from Monday to Friday
ALCOHOL_CHECK = (14, "UBND huyện Nghi Lộc")


def clock(rng, low, high):
    """A time of day between `low` and `high` (`HH:MM`), to the second."""
    lo = int(low[:2]) * 3600 + int(low[3:]) * 60
    hi = int(high[:2]) * 3600 + int(high[3:]) * 60
    return datetime.time(*divmod_hms(rng.randint(lo, hi)))


def divmod_hms(seconds):
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return hours, minutes, seconds


def text(time):
    """A time as the records write it: HH:MM, or HH:MM:SS with seconds."""
    return time.strftime("%H:%M:%S") if time.second else time.strftime("%H:%M")


def habit(person, name):
    """The count a `name:N` habit gives the person, 0 without it."""
    for extra in (person[5], EXTRA_HABITS.get(person[0], "")):
        if extra.startswith(name + ":"):
            return int(extra.split(":", 1)[1])
    return 0


def main():
    rng = random.Random(SEED)
    days = list(working_days())
    # Which days each habit falls on, drawn once per person.
    late_days = {p[0]: set(rng.sample([d.day for d in days], habit(p, "late"))) for p in PEOPLE}
    badge_days = {p[0]: set(rng.sample([d.day for d in days], habit(p, "nobadge"))) for p in PEOPLE}
    early_days = {("NA-1005", 11), ("NA-1406", 23)}

    records = []
    for day in days:
        for person in PEOPLE:
            pid, name, unit, role, position, extra = person
            if (pid, day.day) in LEAVE:
                continue
            if day.day in late_days[pid]:
                arrival = clock(rng, "07:31", "08:12")
            elif extra == "short_week" and SHORT_WEEK[0] <= day.day <= SHORT_WEEK[1]:
                arrival = clock(rng, "07:20", "07:29")
            elif extra == "head":
                arrival = clock(rng, "07:00", "07:25")
            elif role == "contract" and position == "Bảo vệ":
                arrival = clock(rng, "06:40", "06:58")
            else:
                arrival = clock(rng, "07:02", "07:29")
            if extra == "short_week" and SHORT_WEEK[0] <= day.day <= SHORT_WEEK[1]:
                departure = clock(rng, "15:05", "15:18")
            elif (pid, day.day) in early_days:
                departure = clock(rng, "16:25", "16:50")
            elif extra == "head":
                departure = clock(rng, "17:10", "17:55")
            else:
                departure = clock(rng, "17:00", "17:35")
            if (pid, day.day) in NO_DEPARTURE:
                departure = None
            record = {
                "employee_id": pid,
                "full_name": name,
                "unit": unit,
                "role": role,
                "position": position,
                "date": day.isoformat(),
                "arrival": text(arrival),
            }
            if departure is not None:
                record["departure"] = text(departure)
            if role != "contract":
                record["badge_worn"] = day.day not in badge_days[pid]
            record["nameplate"] = True
            record["dress"] = (
                "casual" if (pid, day.day) in CASUAL
                else "uniform" if role == "contract" and position == "Bảo vệ"
                else "formal"
            )
            record["mask_worn"] = (pid, day.day) not in NO_MASK
            record["health_declared"] = True
            counter = extra.startswith("counter:")
            record["handles_procedures"] = counter or extra == "district_counter"
            if record["handles_procedures"]:
                record["overdue_procedures"] = OVERDUE.get((pid, day.day), 0)
            if counter:
                record["at_counter"] = (pid, day.day) not in AWAY_FROM_COUNTER
                record["counter"] = extra.split(":", 1)[1]
            if extra == "head":
                record["is_head"] = True
                record["work_plan_issued"] = True
            if (day.day, unit) == ALCOHOL_CHECK:
                record["breath_alcohol"] = 0.0
            records.append(record)

    with open(NDJSON, "w", encoding="utf-8", newline="\n") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")

    # The machine's export: what it records, as Excel saves it.
    rows = [
        "BẢNG CHẤM CÔNG THÁNG 02/2022 – ĐOÀN KIỂM TRA CÔNG VỤ TỈNH NGHỆ AN,,,,,,",
        "Từ ngày 07/02/2022 đến ngày 28/02/2022 (nghỉ Tết Nguyên đán từ 31/01 đến 04/02/2022),,,,,,",
        "Mã NV,Họ và tên,Đơn vị,Ngày,Giờ vào,Giờ ra,Đeo thẻ",
    ]
    for record in records:
        day = datetime.date.fromisoformat(record["date"])
        arrival = record["arrival"] if len(record["arrival"]) == 8 else record["arrival"] + ":00"
        departure = record.get("departure")
        if departure is None:
            departure = "--:--"
        elif len(departure) == 5:
            departure += ":00"
        badge = {True: "Có", False: "Không"}.get(record.get("badge_worn"), "")
        rows.append(",".join([
            record["employee_id"], record["full_name"], record["unit"],
            day.strftime("%d/%m/%Y"), arrival, departure, badge,
        ]))
    with open(CSV, "w", encoding="utf-8-sig", newline="") as out:
        out.write("\r\n".join(rows) + "\r\n")


if __name__ == "__main__":
    main()

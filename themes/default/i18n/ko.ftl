# 한국어 인터페이스. 없는 항목은 영어(en.ftl)로 표시됩니다.

## 날짜
month-1 = 1월
month-2 = 2월
month-3 = 3월
month-4 = 4월
month-5 = 5월
month-6 = 6월
month-7 = 7월
month-8 = 8월
month-9 = 9월
month-10 = 10월
month-11 = 11월
month-12 = 12월
month-short-1 = 1월
month-short-2 = 2월
month-short-3 = 3월
month-short-4 = 4월
month-short-5 = 5월
month-short-6 = 6월
month-short-7 = 7월
month-short-8 = 8월
month-short-9 = 9월
month-short-10 = 10월
month-short-11 = 11월
month-short-12 = 12월
month-unknown = { $year }년 (월 미상)
date-year = { $year }년
date-month = { $year }년 { $month }
date-day = { $year }년 { $month } { $day }일
date-time = { $date } { $time } ({ $zone })
date-range-days = { $year }년 { $month } { $startDay }일~{ $endDay }일
date-range-months-days = { $year }년 { $startMonth } { $startDay }일~{ $endMonth } { $endDay }일
date-range-months = { $year }년 { $startMonth }~{ $endMonth }
date-range-years = { $startYear }년~{ $endYear }년
date-range = { $start } ~ { $end }
date-since = { $date }부터
date-approximate = { $date }경

## 탐색과 페이지 이름
nav-site = 사이트
nav-timeline = 연표
nav-years = 연도별
nav-compare = 비교
nav-search = 검색
skip-link = 본문으로 건너뛰기
title-page = { $total }페이지 중 { $current }페이지
footer-built = 사건 { $count }건 · 제작 도구: { $generator }
site-description = 사건 { $count }건을 정리한 연표입니다.
years-title = 연도별
years-description = 연도별 사건.
search-title = 검색
search-description = 모든 사건을 검색합니다.
not-found-title = 페이지를 찾을 수 없습니다
not-found-description = 존재하지 않는 페이지입니다.
not-found-before = 이 주소에는 페이지가 없습니다.{" "}
not-found-link = 연표
not-found-after = 에서 다시 찾아보세요.
term-description = { $label }: 사건 { $count }건.
compare-and = {" 및 "}
compare-title-one = { $name } 시간 축
compare-title-many = { $names } 나란히 보기
compare-description = 여러 트랙을 하나의 시간 축에 나란히 보여 줍니다.
compare-description-many = { $names }: 하나의 시간 축에서 어떤 협의가 보조를 맞췄고 어떤 협의가 그렇지 않았는지 보여 줍니다.
compare-title = 트랙 비교
taxonomy-description = { $label }별 사건.

## 상태
status-held = 개최됨
status-announced = 발표됨
status-planned = 예정
status-cancelled = 취소됨

## 분류
kind-meeting = 회담
kind-statement = 성명
kind-command-change = 지휘 체계 변경
kind-agreement = 합의
kind-exercise = 훈련
taxonomy-kinds = 종류
taxonomy-countries = 국가
taxonomy-tracks = 트랙
taxonomy-participants = 참가자
taxonomy-tags = 태그
taxonomy-kind = 종류
taxonomy-country = 국가
taxonomy-track = 트랙
taxonomy-participant = 참가자
taxonomy-tag = 태그
taxonomy-empty = 아직 { $label } 항목이 있는 사건이 없습니다.

## 건수
event-count = { $count }건
timeline-page-count = 전체 { $total }건 중 { $first }~{ $last }번째 ({ $pages }페이지 중 { $current }페이지)
timeline-newest = 전체 { $total }건 중 최신 { $shown }건
group-continued = (계속)
page-status = { $total }페이지 중 { $current }페이지: { $what } { $entries }건 중 { $first }~{ $last }번째
page-status-events = 사건
page-next-page = 다음 페이지
pagination-label = 이 목록의 페이지
pagination-previous = 이전
pagination-next = 다음
pagination-page-prefix = {""}
pagination-page-suffix = {" 페이지"}

## 필터
filter-title = 사건 필터
filter-text = 검색어
filter-all = 전체
filter-status = 상태
filter-from = 시작일
filter-to = 종료일
filter-clear = 필터 지우기
filter-links-label = { $label }:
filter-more = 더 보기

## 스크립트 메시지
js-searching = 모든 사건을 검색하는 중…
js-index-failed = 검색 색인을 불러오지 못했습니다.
js-count-one = {"{n}"}건
js-count-other = {"{n}"}건
js-count-of = {"{total}"} 중 {"{shown}"}건
js-on-this-page = {" "}(이 페이지)
js-load = { $host }에서 { $kind ->
    [image] 이미지
    [video] 동영상
    [audio] 오디오
   *[other] 콘텐츠
  } 불러오기
js-every-event = 모든 사건: {"{label}"}
js-found-one = 1건을 찾았습니다
js-found-other = {"{n}"}건을 찾았습니다

## 사건 페이지
badge-approximate = 대략적인 날짜
badge-draft = 초안
badge-period = 시기:
fact-kind = 종류
fact-location = 장소
fact-countries = 국가
fact-tracks = 트랙
fact-tags = 태그
media-label = 미디어
media-from = { $host }의 { $kind ->
    [image] 이미지
    [video] 동영상
   *[other] 오디오
  }
media-kept = { $host }에 있습니다. 요청하기 전에는 아무것도 불러오지 않습니다.
media-open = { $host }에서 { $kind ->
    [image] 이미지
    [video] 동영상
   *[other] 오디오
  } 열기
media-download-video = 동영상 내려받기
media-download-audio = 오디오 내려받기
media-content-from = { $host }의 콘텐츠
media-hosted = { $host }에서 제공합니다. 요청하기 전에는 아무것도 불러오지 않습니다.
media-open-it = { $host }에서 열기
media-credit = 출처: { $credit }
event-participants = 참가자
event-quotes = 발언
quote-source = 출처 { $number }
event-sources = 출처
source-archived = 보관본
event-related = 관련 사건
event-prev-next = 이전 사건과 다음 사건
event-previous = 이전:
event-next = 다음:
event-back = 연표로 돌아가기

## 관계
relation-references = 참조
relation-references-inverse = 참조됨
relation-implements = 이행
relation-implements-inverse = 이행됨
relation-builds-on = 기반
relation-builds-on-inverse = 후속 발전
relation-follows-up = 후속 조치
relation-follows-up-inverse = 후속 조치됨
relation-responds-to = 대응
relation-responds-to-inverse = 대응받음
relation-supersedes = 대체
relation-supersedes-inverse = 대체됨

## 검색
search-label = 사건 검색
search-button = 검색
search-more = 결과 더 보기
search-noscript-before = 검색하려면 JavaScript가 필요합니다. JavaScript 없이도{" "}
search-noscript-link = 연표
search-noscript-after = 나 메뉴의 목록 페이지에서 찾아볼 수 있습니다.

## 연도와 시기
year-other = 다른 연도
year-all = 모든 연도
year-data = { $year }년 데이터:
year-timelinejs-part = TimelineJS ({ $parts }개 중 { $part }번째)
year-description = { $year }년의 사건 { $count }건.
year-jump = 연도로 이동
year-events-title = { $year }년의 사건
earlier-years-label = 이전 연도
earlier-years = 이 페이지를 가볍게 유지하기 위해 이전 연도는 연도별 페이지에 있습니다:
periods-title = 시기
period-years = { $title }의 연도:

## 시간 축
axis-note-bucketed = 각 막대는 사건 수를 나타내며 해당 사건으로 이동합니다. 아래 목록에 모든 사건이 있습니다.
axis-note = 각 표시는 해당 사건으로 이동합니다. 아래 목록에 모든 사건이 글로 나와 있습니다.
axis-label = { $title } 시간 축
axis-title-timeline = { $title }: 모든 사건
axis-decade = { $year }년대
axis-describe = { $years } 사건 { $count }건
axis-describe-lanes = , 레인: { $lanes }
axis-describe-buckets = . 사건이 많아 하나씩 그리지 않고, 각 막대가 { $unit ->
    [month] 한 달
    [year] 1년
   *[decade] 10년
  } 단위의 사건 수를 나타내며 해당 사건으로 이동합니다.
axis-describe-marks = . 각 표시는 해당 사건으로 이동합니다. 월이나 연도만 알려진 사건은 구간으로, 점선은 대략적인 날짜, 속이 빈 표시는 예정 또는 발표, 빨간 테두리는 취소를 나타냅니다.
axis-describe-periods = {" "}음영은 시기를 나타냅니다.
axis-describe-list = {" "}아래 목록에 모든 사건이 글로 나와 있습니다.
axis-mark = { $when }: { $title } ({ $about })
axis-bucket = { $label }: { $count }건
axis-bucket-lane = { $label }: { $lane }에서 { $count }건
axis-events = 사건
axis-other-tracks = 기타 트랙
axis-no-track = 트랙 없음
axis-in = { $when }년
axis-from-to = { $first }년~{ $last }년

## 비교 페이지
compare-none = 정의된 트랙이 없어 아직 비교할 내용이 없습니다.
compare-none-help-before = 트랙은 한미, 미일처럼 나란히 진행되는 협의의 흐름입니다.{" "}
compare-none-help-middle = {" "}파일의 tracks에 정의하고, 각 사건의 머리말에 트랙을 적어 주세요(
compare-none-help-after = ). 그러면 이 페이지에서 하나의 시간 축에 나란히 보여 줍니다.
compare-gap = { $years ->
    [0] {""}
   *[other] { $years }년{" "}
  }{ $months ->
    [0] {""}
   *[other] { $months }개월{" "}
  }동안 사건 없음
compare-key-together = 강조된 날짜
compare-key = : 모든 트랙에 사건이 있었던 날({ $count }일). 빈칸은 그 트랙에 사건이 없었다는 뜻입니다. 한 달 이상의 공백은 따로 표시합니다.
compare-pairs-label = 비교할 트랙 선택
compare-pairs-title = 두 트랙 비교
compare-default-view = 기본 보기
compare-table-label = 비교 표
compare-caption = { $title }: 날짜별 사건(트랙마다 한 열)
compare-date = 날짜
compare-all-tracks = (모든 트랙)
compare-no-event = 사건 없음
compare-period = 시기
compare-period-all = 시기, 모든 트랙
compare-period-track = 시기, { $track }
compare-period-other = 이 트랙의 시기가 아님
## 임베드
embed-help-title = 이 연표 퍼가기
embed-help = 아래 코드 중 하나를 기사에 붙여 넣으면 최신 사건을 스크립트 없이 간결하게 보여 줍니다. 각 항목은 이 사이트의 페이지로 연결됩니다.
embed-preview = 임베드 미리 보기
embed-newest = 전체 { $total }건 중 최신 { $shown }건
embed-full-timeline = 전체 연표
embed-from-before = {"출처: "}
embed-from-after = {""}
embed-all-events = 모든 사건

## 피드와 캘린더
feed-term-title = { $taxonomy }: { $term } · { $site }
calendar-month-only = 날짜는 월까지만 알려져 있습니다({ $shown }). { $spans ->
    [many] 해당 월 전체로
   *[one] 그 달 전체로
  } 표시합니다.
calendar-year-only = 날짜는 연도까지만 알려져 있습니다({ $shown }). { $spans ->
    [many] 해당 연도 전체로
   *[one] 그해 전체로
  } 표시합니다.
calendar-approximate = 날짜는 대략적입니다.
calendar-ongoing = { $date }부터 계속 중이며 시작일에만 표시합니다.

# "Cite this event" on an event page.
cite-heading = 이 사건 인용하기
cite-accessed = 접속일
cite-copy = 인용 복사
cite-download = 인용 정보 내려받기:
js-cite-copied = 인용을 복사했습니다.
js-cite-copy-failed = 복사하지 못했습니다. 인용문을 선택해 복사하세요.
# Under the timeline's axis, shown with scripts: dragging picks a range.
axis-brush = 시간 축을 마우스로 끌면 그 기간만 보여 줍니다(‘시작일’과 ‘종료일’ 필터로도 같은 일을 할 수 있습니다).
axis-brush-clear = 모든 날짜 보기
cite-format-csl = CSL-JSON
cite-format-bibtex = BibTeX
cite-format-ris = RIS
# Between the items of a short inline list.
list-separator = {", "}

# Provenance: updated dates, corrections, source tiers.
event-updated = 수정일
corrections-count = 정정 { $count }건
corrections-notice-heading = 정정
correction-corrected-on = 정정일
corrections-every = 이 사이트의 모든 정정
corrections-title = 정정
corrections-lede = 이 타임라인의 사건에 가한 모든 정정(최신순).
corrections-follow = 정정 구독하기(Atom 피드).
corrections-none = 정정된 사건이 없습니다.
corrections-feed-title = 정정 · { $site }
corrections-feed-entry = 정정: { $title }
source-reliability = 신뢰도:
filter-source = 출처
tier-primary = 1차 자료
tier-official = 공식 성명
tier-press = 언론 보도
tier-analysis = 분석

# Language editions
nav-languages = 언어
translation-translated = { $original }에서 번역
translation-translated-by = { $original }에서 번역 — { $translator }
translation-untranslated = { $language }로 번역되지 않아 { $original } 원문으로 표시합니다.

# Names of languages, in this language (translation notes).
language-name-en = 영어
language-name-ja = 일본어
language-name-ko = 한국어

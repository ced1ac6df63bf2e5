# 日本語のインターフェース。ない項目は英語（en.ftl）で表示されます。

## 日付
month-1 = 1月
month-2 = 2月
month-3 = 3月
month-4 = 4月
month-5 = 5月
month-6 = 6月
month-7 = 7月
month-8 = 8月
month-9 = 9月
month-10 = 10月
month-11 = 11月
month-12 = 12月
month-short-1 = 1月
month-short-2 = 2月
month-short-3 = 3月
month-short-4 = 4月
month-short-5 = 5月
month-short-6 = 6月
month-short-7 = 7月
month-short-8 = 8月
month-short-9 = 9月
month-short-10 = 10月
month-short-11 = 11月
month-short-12 = 12月
month-unknown = { $year }年（月不明）
date-year = { $year }年
date-month = { $year }年{ $month }
date-day = { $year }年{ $month }{ $day }日
date-time = { $date } { $time }（{ $zone }）
date-range-days = { $year }年{ $month }{ $startDay }日～{ $endDay }日
date-range-months-days = { $year }年{ $startMonth }{ $startDay }日～{ $endMonth }{ $endDay }日
date-range-months = { $year }年{ $startMonth }～{ $endMonth }
date-range-years = { $startYear }年～{ $endYear }年
date-range = { $start }～{ $end }
date-since = { $date }以降
date-approximate = { $date }頃

## ナビゲーションとページ名
nav-site = サイト
nav-timeline = 年表
nav-years = 年別
nav-compare = 比較
nav-search = 検索
skip-link = 本文へ移動
title-page = { $total }ページ中{ $current }ページ目
footer-built = { $count }件の出来事 · { $generator }で作成
site-description = { $count }件の出来事をまとめた年表です。
years-title = 年別
years-description = 年ごとの出来事。
search-title = 検索
search-description = すべての出来事を検索します。
not-found-title = ページが見つかりません
not-found-description = このページは存在しません。
not-found-before = このアドレスにはページがありません。
not-found-link = 年表
not-found-after = に戻ってください。
term-description = { $label }：{ $count }件の出来事。
compare-and = {"と"}
compare-title-one = { $name }の時間軸
compare-title-many = { $names }の比較
compare-description = 複数のトラックを一つの時間軸に並べて表示します。
compare-description-many = { $names }を一つの時間軸に並べ、足並みがそろった協議とそうでない協議を示します。
compare-title = トラックの比較
taxonomy-description = { $label }別の出来事。

## 状態
status-held = 開催済み
status-announced = 発表済み
status-planned = 予定
status-cancelled = 中止

## 分類
kind-meeting = 会談
kind-statement = 声明
kind-command-change = 指揮系統の変更
kind-agreement = 合意
kind-exercise = 演習
taxonomy-kinds = 種類
taxonomy-countries = 国
taxonomy-tracks = トラック
taxonomy-participants = 参加者
taxonomy-tags = タグ
taxonomy-kind = 種類
taxonomy-country = 国
taxonomy-track = トラック
taxonomy-participant = 参加者
taxonomy-tag = タグ
taxonomy-empty = { $label }が設定された出来事はまだありません。

## 件数
event-count = { $count }件
timeline-page-count = 全{ $total }件中{ $first }～{ $last }件目（{ $pages }ページ中{ $current }ページ目）
timeline-newest = 全{ $total }件のうち新しい{ $shown }件
group-continued = （続き）
page-status = { $total }ページ中{ $current }ページ目：全{ $entries }件の{ $what }のうち{ $first }～{ $last }件目
page-status-events = 出来事
page-next-page = 次のページ
pagination-label = このリストのページ
pagination-previous = 前のページ
pagination-next = 次のページ
pagination-page-prefix = {"ページ "}
pagination-page-suffix = {""}

## 絞り込み
filter-title = 出来事を絞り込む
filter-text = キーワード
filter-all = すべて
filter-status = 状態
filter-from = 開始日
filter-to = 終了日
filter-clear = 条件をクリア
filter-links-label = { $label }：
filter-more = さらに表示

## スクリプトのメッセージ
js-searching = すべての出来事を検索しています…
js-index-failed = 検索インデックスを読み込めませんでした。
js-count-one = {"{n}"}件
js-count-other = {"{n}"}件
js-count-of = {"{total}"}中{"{shown}"}件
js-on-this-page = （このページ）
js-load = { $host }から{ $kind ->
    [image] 画像
    [video] 動画
    [audio] 音声
   *[other] コンテンツ
  }を読み込む
js-every-event = すべての出来事：{"{label}"}
js-found-one = 1件見つかりました
js-found-other = {"{n}"}件見つかりました

## 出来事のページ
badge-approximate = 日付は概算
badge-draft = 下書き
badge-period = 時期：
fact-kind = 種類
fact-location = 場所
fact-countries = 国
fact-tracks = トラック
fact-tags = タグ
media-label = メディア
media-from = { $host }の{ $kind ->
    [image] 画像
    [video] 動画
   *[other] 音声
  }
media-kept = { $host }にあります。表示を選ぶまで何も読み込みません。
media-open = { $host }で{ $kind ->
    [image] 画像
    [video] 動画
   *[other] 音声
  }を開く
media-download-video = 動画をダウンロード
media-download-audio = 音声をダウンロード
media-content-from = { $host }のコンテンツ
media-hosted = { $host }が提供しています。表示を選ぶまで何も読み込みません。
media-open-it = { $host }で開く
media-credit = 提供：{ $credit }
event-participants = 参加者
event-quotes = 発言
quote-source = 出典{ $number }
event-sources = 出典
source-archived = アーカイブ
event-related = 関連する出来事
event-prev-next = 前後の出来事
event-previous = 前：
event-next = 次：
event-back = 年表に戻る

## 関係
relation-references = 参照
relation-references-inverse = 参照元
relation-implements = 実施
relation-implements-inverse = 実施元
relation-builds-on = 発展元
relation-builds-on-inverse = 発展先
relation-follows-up = 続報
relation-follows-up-inverse = 続報あり
relation-responds-to = 対応先
relation-responds-to-inverse = 対応あり
relation-supersedes = 置き換え
relation-supersedes-inverse = 置き換え先

## 検索
search-label = 出来事を検索
search-button = 検索
search-more = さらに表示
search-noscript-before = 検索にはJavaScriptが必要です。
search-noscript-link = 年表
search-noscript-after = やメニューの一覧ページから探してください。

## 年と時期
year-other = ほかの年
year-all = すべての年
year-data = { $year }年のデータ：
year-timelinejs-part = TimelineJS（{ $parts }分割中{ $part }番目）
year-description = { $year }年の出来事{ $count }件。
year-jump = 年へ移動
year-events-title = { $year }年の出来事
earlier-years-label = それ以前の年
earlier-years = それ以前の年は、このページを軽く保つため年ごとのページにあります：
periods-title = 時期
period-years = { $title }の年：

## 時間軸
axis-note-bucketed = 各棒は出来事の件数を表し、その一覧へ移動します。下の一覧にすべての出来事があります。
axis-note = 各印はその出来事へ移動します。下の一覧にすべての出来事を文字で示しています。
axis-label = { $title }の時間軸
axis-title-timeline = { $title }：すべての出来事
axis-decade = { $year }年代
axis-describe = { $years }の出来事{ $count }件
axis-describe-lanes = 。レーン：{ $lanes }
axis-describe-buckets = 。件数が多いため1件ずつは描かず、各棒が{ $unit ->
    [month] 1か月
    [year] 1年
   *[decade] 10年
  }ごとの件数を表し、その出来事へ移動します。
axis-describe-marks = 。各印はその出来事へ移動します。月や年しか分からない出来事は幅で示し、破線は日付が概算、中空は予定または発表、赤枠は中止を表します。
axis-describe-periods = 網掛けは時期を表します。
axis-describe-list = 下の一覧にすべての出来事を文字で示しています。
axis-mark = { $when }：{ $title }（{ $about }）
axis-bucket = { $label }：{ $count }件
axis-bucket-lane = { $label }：{ $lane }で{ $count }件
axis-events = 出来事
axis-other-tracks = ほかのトラック
axis-no-track = トラックなし
axis-in = { $when }年
axis-from-to = { $first }年～{ $last }年

## 比較ページ
compare-none = トラックが定義されていないため、まだ比較できるものがありません。
compare-none-help-before = トラックとは、日米や米韓のように並行して進む協議の流れです。
compare-none-help-middle = のtracksで定義し、各出来事のフロントマターにトラックを書いてください（
compare-none-help-after = ）。このページで一つの時間軸に並べて表示します。
compare-gap = { $years ->
    [0] {""}
   *[other] { $years }年
  }{ $months ->
    [0] {""}
   *[other] { $months }か月
  }間、出来事なし
compare-key-together = 強調された日付
compare-key = ：すべてのトラックに出来事があった日（{ $count }日）。空欄はそのトラックに出来事がなかったことを示します。1か月以上の空白には印を付けています。
compare-pairs-label = 比較するトラックを選ぶ
compare-pairs-title = 2つのトラックを比較
compare-default-view = 標準の表示
compare-table-label = 比較表
compare-caption = { $title }：日付ごとの出来事（トラックごとに1列）
compare-date = 日付
compare-all-tracks = （全トラック）
compare-no-event = 出来事なし
compare-period = 時期
compare-period-all = 時期（全トラック）
compare-period-track = 時期（{ $track }）
compare-period-other = このトラックの時期ではありません

## 埋め込み
embed-help-title = この年表を埋め込む
embed-help = 次のコードを記事に貼り付けると、最新の出来事をスクリプトなしで簡潔に表示できます。各項目はこのサイトのページにリンクします。
embed-preview = 埋め込みをプレビュー
embed-newest = 全{ $total }件のうち新しい{ $shown }件
embed-full-timeline = 年表全体
embed-from-before = {"出典："}
embed-from-after = {""}
embed-all-events = すべての出来事

## フィードとカレンダー
feed-term-title = { $taxonomy }：{ $term } · { $site }
calendar-month-only = 日付は月までしか分かりません（{ $shown }）。{ $spans ->
    [many] 各月全体
   *[one] その月全体
  }として表示しています。
calendar-year-only = 日付は年までしか分かりません（{ $shown }）。{ $spans ->
    [many] 各年全体
   *[one] その年全体
  }として表示しています。
calendar-approximate = 日付は概算です。
calendar-ongoing = { $date }から継続中。開始日にのみ表示しています。

# "Cite this event" on an event page.
cite-heading = この出来事を引用する
cite-accessed = 閲覧日
cite-copy = 引用をコピー
cite-download = 引用データをダウンロード：
js-cite-copied = 引用をコピーしました。
js-cite-copy-failed = コピーできませんでした。引用を選択してコピーしてください。
# Under the timeline's axis, shown with scripts: dragging picks a range.
axis-brush = 時間軸をマウスでドラッグすると、その期間だけを表示します（「開始日」と「終了日」の絞り込みでも同じことができます）。
axis-brush-clear = すべての日付を表示
cite-format-csl = CSL-JSON
cite-format-bibtex = BibTeX
cite-format-ris = RIS
# Between the items of a short inline list.
list-separator = 、

# Provenance: updated dates, corrections, source tiers.
event-updated = 更新日
corrections-count = 訂正{ $count }件
corrections-notice-heading = 訂正
correction-corrected-on = 訂正日
corrections-every = このサイトのすべての訂正
corrections-title = 訂正
corrections-lede = このタイムラインの出来事に加えたすべての訂正（新しい順）。
corrections-follow = 訂正を購読する（Atomフィード）。
corrections-none = 訂正された出来事はありません。
corrections-feed-title = 訂正 · { $site }
corrections-feed-entry = 訂正：{ $title }
source-reliability = 信頼性：
filter-source = 出典
tier-primary = 一次資料
tier-official = 公式声明
tier-press = 報道
tier-analysis = 分析

# Language editions
nav-languages = 言語
translation-translated = { $original }からの翻訳
translation-translated-by = { $original }からの翻訳 — { $translator }
translation-untranslated = { $language }に翻訳されていないため、{ $original }で表示しています。

# Names of languages, in this language (translation notes).
language-name-en = 英語
language-name-ja = 日本語
language-name-ko = 韓国語

# The interface's words in English: every other language falls back to
# this file key by key. A site overrides any key in its own i18n/en.ftl.

## Dates. Month names as they appear inside a date.
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
# Short month names on the time axis.
month-short-1 = Jan
month-short-2 = Feb
month-short-3 = Mar
month-short-4 = Apr
month-short-5 = May
month-short-6 = Jun
month-short-7 = Jul
month-short-8 = Aug
month-short-9 = Sep
month-short-10 = Oct
month-short-11 = Nov
month-short-12 = Dec
month-unknown = { $year }, month not known
date-year = { $year }
date-month = { $month } { $year }
date-day = { $day } { $month } { $year }
date-time = { $date }, { $time } { $zone }
date-range-days = { $startDay }–{ $endDay } { $month } { $year }
date-range-months-days = { $startDay } { $startMonth } – { $endDay } { $endMonth } { $year }
date-range-months = { $startMonth }–{ $endMonth } { $year }
date-range-years = { $startYear }–{ $endYear }
date-range = { $start } – { $end }
date-since = since { $date }
date-approximate = c. { $date }

## Navigation and page titles.
nav-site = Site
nav-timeline = Timeline
nav-years = Years
nav-compare = Compare
nav-search = Search
skip-link = Skip to content
title-page = page { $current } of { $total }
footer-built = { $count ->
    [one] { $count } event
   *[other] { $count } events
  } · built with { $generator }
site-description = A timeline of { $count } events.
years-title = Years
years-description = Events by year.
search-title = Search
search-description = Search every event.
not-found-title = Page not found
not-found-description = This page does not exist.
not-found-before = There is no page at this address. Go to{" "}
not-found-link = the timeline
not-found-after = .
term-description = { $count ->
    [one] { $count } event
   *[other] { $count } events
  }: { $label }.
compare-and = {" and "}
compare-title-one = { $name } on one time axis
compare-title-many = { $names } side by side
compare-description = Tracks side by side on one time axis.
compare-description-many = { $names } on one time axis: which talks moved in step and which did not.
compare-title = Compare tracks
taxonomy-description = Events by { $label }.

## Status words.
status-held = Held
status-announced = Announced
status-planned = Planned
status-cancelled = Cancelled

## The browse-by dimensions.
kind-meeting = Meeting
kind-statement = Statement
kind-command-change = Command change
kind-agreement = Agreement
kind-exercise = Exercise
taxonomy-kinds = Kinds
taxonomy-countries = Countries
taxonomy-tracks = Tracks
taxonomy-participants = Participants
taxonomy-tags = Tags
taxonomy-kind = Kind
taxonomy-country = Country
taxonomy-track = Track
taxonomy-participant = Participant
taxonomy-tag = Tag
taxonomy-empty = No events have any { $label } yet.

## Counts.
event-count = { $count ->
    [one] { $count } event
   *[other] { $count } events
  }
timeline-page-count = Events { $first }–{ $last } of { $total }, page { $current } of { $pages }
timeline-newest = The newest { $shown } of { $total } events
group-continued = (continued)
page-status = Page { $current } of { $total }: { $what } { $first }–{ $last } of { $entries }
page-status-events = events
page-next-page = next page
pagination-label = Pages of this list
pagination-previous = Previous
pagination-next = Next
pagination-page-prefix = {"Page "}
pagination-page-suffix = {" page"}

## Filters on the timeline.
filter-title = Filter events
filter-text = Text
filter-all = All
filter-status = Status
filter-from = From
filter-to = To
filter-clear = Clear filters
filter-links-label = { $label }:
filter-more = More events

## Messages of the scripts; {"{n}"} and {"{total}"} are filled in by them.
js-searching = Searching every event…
js-index-failed = The search index could not be loaded.
js-count-one = {"{n}"} event
js-count-other = {"{n}"} events
js-count-of = {"{shown}"} of {"{total}"}
js-on-this-page = {" "}on this page
js-load = Load { $kind ->
    [image] the image
    [video] the video
    [audio] the audio
   *[other] content
  } from { $host }
js-every-event = Every event: {"{label}"}
js-found-one = 1 event found
js-found-other = {"{n}"} events found

## Event pages.
badge-approximate = Approximate date
badge-draft = Draft
badge-period = Period:
fact-kind = Kind
fact-location = Location
fact-countries = Countries
fact-tracks = Tracks
fact-tags = Tags
media-label = Media
media-from = { $kind ->
    [image] Image
    [video] Video
   *[other] Audio
  } from { $host }
media-kept = Kept on { $host }: nothing is loaded from there until you ask.
media-open = Open the { $kind ->
    [image] image
    [video] video
   *[other] audio
  } on { $host }
media-download-video = Download the video
media-download-audio = Download the audio
media-content-from = Content from { $host }
media-hosted = Hosted by { $host }: nothing is loaded from there until you ask.
media-open-it = Open it on { $host }
media-credit = Credit: { $credit }
event-participants = Participants
event-quotes = Quotes
quote-source = source { $number }
event-sources = Sources
source-archived = archived copy
event-related = Related events
event-prev-next = Previous and next events
event-previous = Previous:
event-next = Next:
event-back = Back to the timeline

## Relations (the built-in kinds; a site's own come from site.yaml).
relation-references = References
relation-references-inverse = Referenced by
relation-implements = Implements
relation-implements-inverse = Implemented by
relation-builds-on = Builds on
relation-builds-on-inverse = Built on by
relation-follows-up = Follows up
relation-follows-up-inverse = Followed up by
relation-responds-to = Responds to
relation-responds-to-inverse = Responded to by
relation-supersedes = Supersedes
relation-supersedes-inverse = Superseded by

## Search page.
search-label = Search events
search-button = Search
search-more = More results
search-noscript-before = Search needs JavaScript. Without it, browse the{" "}
search-noscript-link = timeline
search-noscript-after = {" "}or the index pages in the menu.

## Years and periods.
year-other = Other years
year-all = All years
year-data = Data for { $year }:
year-timelinejs-part = TimelineJS (part { $part } of { $parts })
year-description = { $count ->
    [one] { $count } event
   *[other] { $count } events
  } in { $year }.
year-jump = Jump to year
year-events-title = Events of { $year }
earlier-years-label = Earlier years
earlier-years = Earlier years are on their own pages, so this page stays quick to load:
periods-title = Periods
period-years = Years of { $title }:

## The time axis.
axis-note-bucketed = Each bar counts events and leads to them; the list below gives each event.
axis-note = Each mark leads to its event; the list below gives every event as text.
axis-label = { $title } on a time axis
axis-title-timeline = { $title }: every event
axis-decade = { $year }s
axis-describe = { $count ->
    [one] { $count } event
   *[other] { $count } events
  } { $years }
axis-describe-lanes = , in lanes: { $lanes }
axis-describe-buckets = . Too many to draw one by one: each bar counts the events of a { $unit ->
    [month] month
    [year] year
   *[decade] decade
  } and links to them.
axis-describe-marks = . Each mark links to its event; spans cover a month or year when only that is known, dashed marks are approximate, hollow ones planned or announced, red outlines cancelled.
axis-describe-periods = {" "}Shaded bands are periods.
axis-describe-list = {" "}The list below gives every event as text.
axis-mark = { $when }: { $title } ({ $about })
axis-bucket = { $label }: { $count ->
    [one] { $count } event
   *[other] { $count } events
  }
axis-bucket-lane = { $label }: { $count ->
    [one] { $count } event
   *[other] { $count } events
  } in { $lane }
axis-events = Events
axis-other-tracks = Other tracks
axis-no-track = No track
axis-in = in { $when }
axis-from-to = from { $first } to { $last }

## The compare page.
compare-none = No tracks are declared, so there is nothing to compare yet.
compare-none-help-before = Tracks are parallel lines of talks, such as US–Japan and US–ROK. Declare them in{" "}
compare-none-help-middle = {" "}under tracks and list an event's tracks in its front matter (
compare-none-help-after = ); this page then shows them side by side on one time axis.
compare-gap = No events for { $years ->
    [0] { $months ->
        [one] 1 month
       *[other] { $months } months
      }
    [one] { $months ->
        [0] 1 year
        [one] 1 year and 1 month
       *[other] 1 year and { $months } months
      }
   *[other] { $months ->
        [0] { $years } years
        [one] { $years } years and 1 month
       *[other] { $years } years and { $months } months
      }
  }
compare-key-together = Highlighted dates
compare-key = : every track had an event that day ({ $count ->
    [one] { $count } date
   *[other] { $count } dates
  }). An empty cell means that track had none. Gaps of a month or more are marked.
compare-pairs-label = Choose tracks to compare
compare-pairs-title = Compare two tracks
compare-default-view = Default view
compare-table-label = Comparison table
compare-caption = { $title }: events by date, one column per track
compare-date = Date
compare-all-tracks = (all tracks)
compare-no-event = No event
compare-period = Period
compare-period-all = Period, all tracks
compare-period-track = Period, { $track }
compare-period-other = Not this track's period

## Embeds.
embed-help-title = Embed this timeline
embed-help = Paste one of these snippets into an article to show a compact, script-free view of the newest events. Each entry links back to its page here.
embed-preview = Preview the embed
embed-newest = The newest { $shown } of { $total } events
embed-full-timeline = full timeline
embed-from-before = {"From "}
embed-from-after = {""}
embed-all-events = All events

## Feeds and the calendar.
feed-term-title = { $taxonomy }: { $term } · { $site }
calendar-month-only = Date known to the month only ({ $shown }): shown as { $spans ->
    [many] whole months
   *[one] the whole month
  }.
calendar-year-only = Date known to the year only ({ $shown }): shown as { $spans ->
    [many] whole years
   *[one] the whole year
  }.
calendar-approximate = The date is approximate.
calendar-ongoing = Ongoing since { $date }; shown on its start only.

# "Cite this event" on an event page.
cite-heading = Cite this event
cite-accessed = Accessed
cite-copy = Copy citation
cite-download = Download the citation:
js-cite-copied = Citation copied.
js-cite-copy-failed = Could not copy: select the citation and copy it.
# Under the timeline's axis, shown with scripts: dragging picks a range.
axis-brush = Drag across the axis with a mouse to show only that stretch of time (the From and To filters do the same).
axis-brush-clear = Show every date
cite-format-csl = CSL-JSON
cite-format-bibtex = BibTeX
cite-format-ris = RIS
# Between the items of a short inline list.
list-separator = {", "}

# Provenance: updated dates, corrections, source tiers.
event-updated = Updated
corrections-count = { $count ->
    [one] { $count } correction
   *[other] { $count } corrections
  }
corrections-notice-heading = { $count ->
    [one] Correction
   *[other] Corrections
  }
correction-corrected-on = Corrected on
corrections-every = Every correction on this site
corrections-title = Corrections
corrections-lede = Every correction made to an event of this timeline, newest first.
corrections-follow = Follow the corrections (Atom feed).
corrections-none = No event has been corrected.
corrections-feed-title = Corrections · { $site }
corrections-feed-entry = Correction: { $title }
source-reliability = Reliability:
filter-source = Source
tier-primary = Primary document
tier-official = Official statement
tier-press = Press report
tier-analysis = Analysis

# Language editions
nav-languages = Languages
translation-translated = Translated from { $original }
translation-translated-by = Translated from { $original } — { $translator }
translation-untranslated = Not translated into { $language }; shown in { $original }.

# Names of languages, in this language (translation notes).
language-name-en = English
language-name-ja = Japanese
language-name-ko = Korean

r"""Synthetic household surveys shaped like Tajikistan or Lao PDR, for teaching and testing.

:func:`household_survey` returns one person-level table (household columns repeated
on every member) with survey weights, demography, per-capita consumption, receipt of
six social protection programmes and the labour and disability status needed for the
SDG 1.3.1 denominators.
**The data are synthetic.** Every frame says so: a ``synthetic`` column that is all
True and ``frame.attrs["synthetic"] = True``. Never quote a number computed from it
as a fact about the country.

What is calibrated on bundled, published data (see :data:`CALIBRATION`)
-----------------------------------------------------------------------
- Age and sex: UN World Population Prospects 2022 (probabilistic median), year 2022,
  dataset ``pop_age_sex_wpp2022_projections``. Five-year groups are split uniformly
  into single years; the open group 100+ becomes age 100. Ages are drawn by
  systematic sampling, so the unweighted count of each single-year age-sex cell is
  within two persons of n_persons x its WPP share; weighted shares match in
  expectation (the weights do not depend on age).
- Total population: the weights sum to the WPP 2022 total population (both sexes),
  so weighted totals are national totals.
- Programme coverage: the latest year of each SDG 1.3.1 contingency series in
  ``sdg_social_protection_poverty_labour`` (UN SDG Global Database, custodian ILO),
  both sexes. With :math:`w_i` the person weight:

  * SI_COV_PENSN = sum w_i [age_i >= a_s and (old_age_pension_i or social_pension_i)]
    / sum w_i [age_i >= a_s], with :math:`a_s` the statutory pensionable age of the
    person's sex (``statutory_pension_age``: Tajikistan men 63, women 58; Lao PDR 60
    for both sexes). "Above pensionable age" is read as "at or above".
  * SI_COV_CHLD = sum w_i [age_i <= 15 and child_benefit_i] / sum w_i [age_i <= 15]
    (children aged 0-15, the ILO-UNICEF convention in the methods reference).
    The benefit is paid for every child aged 0-15 of a selected household, and
    households are selected at random among households with children, so the share of
    households with children that receive it equals the same target in expectation:
    the child-based and the household-based readings of the series agree.
  * SI_COV_DISAB = sum w_i [severe_disability_i and disability_benefit_i]
    / sum w_i severe_disability_i. Only persons with a severe disability receive it.
  * SI_COV_UEMP = sum w_i [unemployed_i and unemployment_benefit_i] / sum w_i unemployed_i.
  * SI_COV_VULN = sum w_i social_assistance_i / sum w_i vulnerable_i, where vulnerable
    = neither contributing nor receiving a contributory benefit
    (:data:`CONTRIBUTORY_PROGRAMMES`: old_age_pension, unemployment_benefit). This is
    the ILO definition (total population minus working-age persons contributing to or
    receiving contributory benefits, minus persons above pensionable age receiving a
    contributory pension): children are all vulnerable, because nobody under 15
    contributes or draws a contributory benefit. The numerator counts all recipients,
    as the ILO counts administrative recipients.

  Lao PDR publishes no SI_COV_CHLD in the bundled data: its child benefit coverage is
  an illustrative parameter (see :data:`ILLUSTRATIVE`).
- Labour force participation (% of population 15+) and unemployment rate
  (% of labour force), by sex: WDI modelled ILO estimates for 2022
  (``wdi_macro_poverty_labour``: SL.TLF.CACT.FE.ZS, SL.TLF.CACT.MA.ZS,
  SL.UEM.TOTL.FE.ZS, SL.UEM.TOTL.MA.ZS). They define ``in_labour_force`` and
  ``unemployed``.
- Consumption: the spread of log pre-transfer per-capita consumption is set from the
  WDI Gini index (SI.POV.GINI, year nearest 2022) through the log-normal relation
  :math:`G = 2\Phi(\sigma/\sqrt{2}) - 1`; its mean is an illustrative 70 % of GDP per
  capita (NY.GDP.PCAP.CD x PA.NUS.FCRF, 2022) in local currency: Tajik somoni (TJS) or
  Lao kip (LAK). **The consumption level is illustrative**: it is not calibrated on any
  consumption survey.

How the targets are hit
-----------------------
Recipients are chosen by exact-share assignment: the eligible persons (or households)
are put in a random order (a weighted random order where a priority applies, for
example poorer households first for social assistance, with noise), and the first ones
are taken until their summed weight is as close as possible to target x the weighted
size of the group. The weighted coverage then equals the target to within one
person's (or household's) weight, at any sample size and for every seed.

What is illustrative (no bundled source)
----------------------------------------
Household size, urban share, regional shares, severe disability prevalence,
contributor share, split between contributory and social pensions, benefit amounts,
urban premium and targeting noise: keyword arguments or documented constants
(:data:`ILLUSTRATIVE`, :data:`REGIONS`, :data:`BENEFIT_LEVELS`). Fixed in the code, also
illustrative: household size 1 + Poisson(mean - 1); heads are adults, more often men
and older; age profiles of labour force participation, unemployment (twice as likely
under 25) and severe disability (more frequent with age); contributors more likely in
richer and urban households; a sample allocation proportional to the square root of
each region's population with a log-normal non-response factor (sd 0.25) before
post-stratification on region x area; per-capita consumption lower in larger
households; contributory pensions spread log-normally (sd 0.3) around their level.
Benefit amounts are set as shares of the mean pre-transfer per-capita consumption and
are therefore illustrative amounts in local currency.
The contributor share defaults are set so that the union of all flags (the SDG 1.3.1
headline) lands near the published SI_COV_BENFTS; the headline is reported in
``attrs["calibration"]`` for comparison but is not a calibration target.

Warnings
--------
The Lao PDR statutory pension age (60 for both sexes) comes from the 2006 edition of
*Social Security Programs Throughout the World*, which the bundled file flags as
OUTDATED (a later Social Security Law and a 2025 regulation are not captured).
Tajikistan's social pension ages (65 men, 60 women) come from the 2012 edition.
Lao region names are the 17 provinces and Vientiane Capital; Tajikistan's are its
four first-level regions and the capital. Their population shares are rough,
illustrative values, not census figures.

Sources: UN DESA, World Population Prospects 2022; UN SDG Global Database (ILO series
for SDG 1.3.1); World Bank, World Development Indicators; US SSA, Social Security
Programs Throughout the World: Asia and the Pacific (2006, 2012, 2018 editions).
"""

from socialprotection.synthetic._surveys import _calibration
from socialprotection.synthetic._surveys._calibration import (
    COUNTRIES,
    calibration_targets,
)
from socialprotection.synthetic._surveys._survey import (
    household_survey,
)

# Private helpers that other modules import from here (_registries, migration._shock).
from socialprotection.synthetic._surveys._calibration import _inputs  # noqa: F401 # isort: skip
from socialprotection.synthetic._surveys._households import (  # isort: skip
    _select_share,  # noqa: F401
    _systematic,  # noqa: F401
)

#: The six programmes; each has a ``{p}_recipient`` (bool) and ``{p}_amount`` column.
PROGRAMMES = _calibration.PROGRAMMES
#: Programmes financed by contributions: their recipients are not "vulnerable" (SI_COV_VULN).
CONTRIBUTORY_PROGRAMMES = _calibration.CONTRIBUTORY_PROGRAMMES
#: What each target is, its source (bundled dataset and series) and how the year is chosen.
CALIBRATION = _calibration.CALIBRATION
#: Illustrative parameters without a bundled source (defaults of the keyword arguments).
ILLUSTRATIVE = _calibration.ILLUSTRATIVE
#: First-level regions and illustrative population shares (rough, not census figures).
#: The first region is the capital.
REGIONS = _calibration.REGIONS
#: Annual benefit per recipient as a share of the mean pre-transfer per-capita consumption
#: (illustrative). social_assistance is per household, split equally among its members.
BENEFIT_LEVELS = _calibration.BENEFIT_LEVELS
#: Column names and dtypes of :func:`household_survey`, in order. Categories: region as in
#: :data:`REGIONS`, area "rural"/"urban", sex "female"/"male".
DTYPES = _calibration.DTYPES

__all__ = [
    "BENEFIT_LEVELS",
    "CALIBRATION",
    "COUNTRIES",
    "CONTRIBUTORY_PROGRAMMES",
    "DTYPES",
    "ILLUSTRATIVE",
    "PROGRAMMES",
    "REGIONS",
    "calibration_targets",
    "household_survey",
]

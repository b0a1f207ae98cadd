// The generated parameter controls write the effect's atomics with the metadata's mapping: a
// slider's travel follows the skew (logarithmic for Hz), the spin box carries the unit, choices
// and toggles store their index and 0/1, double-click restores the default. Reported outputs
// show read-only with their unit and follow refresh(); long parameter lists can be filtered.
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <string>

#include "core/dsp/EffectFactory.h"
#include "core/dsp/EffectSlot.h"
#include "core/dsp/effects/GainEffect.h"
#include "core/dsp/lv2/Lv2Catalogue.h"
#include "ui/OutputMeter.h"
#include "ui/ParameterPanel.h"
#include "ui/ParameterSlider.h"

using namespace liverack;

namespace {

class FilterLikeEffect final : public core::Effect {
public:
    enum { kFreq, kMode, kEnabled };
    static const core::EffectInfo& staticInfo() {
        static const core::EffectInfo info{
            "test_filter",
            "Filter",
            {core::ParameterInfo::continuous("freq_hz", "Frequency", "Hz", 20.0f, 20000.0f, 1000.0f,
                                             core::ParameterSkew::Logarithmic),
             core::ParameterInfo::choice("mode", "Mode", {"low", "band", "high"}, 0),
             core::ParameterInfo::toggle("enabled", "Enabled", true)}};
        return info;
    }
    FilterLikeEffect() : core::Effect(staticInfo()) {}
    const core::EffectInfo& info() const noexcept override { return staticInfo(); }
    void prepare(const core::ProcessSpec&) override {}
    void process(core::AudioBlock) noexcept override {}
    void reset() noexcept override {}
};

// Two EQ-like bands: "bN.type" with an "off" choice, and a frequency.
class BandsEffect final : public core::Effect {
public:
    static const core::EffectInfo& staticInfo() {
        static const core::EffectInfo info{
            "test_bands",
            "Bands",
            {core::ParameterInfo::choice("b1.type", "Band 1 type", {"off", "peak"}, 0),
             core::ParameterInfo::continuous("b1.freq_hz", "Band 1 frequency", "Hz", 20.0f,
                                             20000.0f, 1000.0f, core::ParameterSkew::Logarithmic),
             core::ParameterInfo::choice("b2.type", "Band 2 type", {"off", "peak"}, 1),
             core::ParameterInfo::continuous("b2.freq_hz", "Band 2 frequency", "Hz", 20.0f,
                                             20000.0f, 1000.0f, core::ParameterSkew::Logarithmic)}};
        return info;
    }
    BandsEffect() : core::Effect(staticInfo()) {}
    const core::EffectInfo& info() const noexcept override { return staticInfo(); }
    void prepare(const core::ProcessSpec&) override {}
    void process(core::AudioBlock) noexcept override {}
    void reset() noexcept override {}
};

// Reports a gain reduction, a bipolar error, an on/off state and a choice given by the plugin's
// own values (an LV2 scale point), like a plugin's control outputs.
class ReportingEffect final : public core::Effect {
public:
    enum { kReduction, kError, kActive, kMode };
    static const core::EffectInfo& staticInfo() {
        static const core::EffectInfo info = [] {
            core::EffectInfo i{
                "test_reporting", "Reporting", {core::ParameterInfo::toggle("on", "On", true)}};
            auto mode = core::ParameterInfo::choice("mode", "Mode", {"low", "mid", "high"}, 0);
            mode.choiceValues = {0.0f, 5.0f, 10.0f};
            i.outputs = {
                core::ParameterInfo::continuous("gr", "Gain reduction", "dB", -20.0f, 0.0f, 0.0f),
                core::ParameterInfo::continuous("err", "Pitch error", "", -1.0f, 1.0f, 0.0f),
                core::ParameterInfo::toggle("active", "Active", false), mode};
            return i;
        }();
        return info;
    }
    ReportingEffect() : core::Effect(staticInfo()) {}
    const core::EffectInfo& info() const noexcept override { return staticInfo(); }
    void prepare(const core::ProcessSpec&) override {}
    void process(core::AudioBlock) noexcept override {}
    void reset() noexcept override {}
};

// As many parameters as a large plugin: "Param 0" ... "Param 39".
class ManyParametersEffect final : public core::Effect {
public:
    static constexpr size_t kCount = 40;
    static const core::EffectInfo& staticInfo() {
        static const core::EffectInfo info = [] {
            core::EffectInfo i{"test_many", "Many", {}};
            for (size_t p = 0; p < kCount; ++p) {
                i.parameters.push_back(core::ParameterInfo::continuous(
                    "p" + std::to_string(p), "Param " + std::to_string(p), "", 0.0f, 1.0f, 0.5f));
            }
            return i;
        }();
        return info;
    }
    ManyParametersEffect() : core::Effect(staticInfo()) {}
    const core::EffectInfo& info() const noexcept override { return staticInfo(); }
    void prepare(const core::ProcessSpec&) override {}
    void process(core::AudioBlock) noexcept override {}
    void reset() noexcept override {}
};

constexpr const char* kAutotune = "http://gareus.org/oss/lv2/fat1";

}  // namespace

class ParameterPanelTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void sliderHalfwayOnLogParameterGivesGeometricMean() {
        auto slot = std::make_shared<core::EffectSlot>(std::make_unique<FilterLikeEffect>());
        ui::ParameterPanel panel;
        panel.setSlot(slot);
        panel.sliderFor(FilterLikeEffect::kFreq)->setValue(ui::ParameterSlider::kSteps / 2);
        // Halfway on a log scale from 20 Hz to 20 kHz is sqrt(20 * 20000) = 632.46 Hz.
        const float hz = slot->effect().parameters().get(FilterLikeEffect::kFreq);
        QVERIFY2(std::abs(hz - std::sqrt(20.0f * 20000.0f)) < 0.01f,
                 qPrintable(QString::number(hz)));
        // The spin box follows, in the parameter's unit.
        QVERIFY(std::abs(panel.spinBoxFor(FilterLikeEffect::kFreq)->value() - hz) < 0.1);
        QCOMPARE(panel.spinBoxFor(FilterLikeEffect::kFreq)->suffix(), QString(" Hz"));
    }

    void typedValueMovesSliderToItsLogPosition() {
        auto slot = std::make_shared<core::EffectSlot>(std::make_unique<FilterLikeEffect>());
        ui::ParameterPanel panel;
        panel.setSlot(slot);
        panel.spinBoxFor(FilterLikeEffect::kFreq)->setValue(200.0);
        QCOMPARE(slot->effect().parameters().get(FilterLikeEffect::kFreq), 200.0f);
        // 200 Hz is one decade of three above 20 Hz: a third of the travel.
        QCOMPARE(panel.sliderFor(FilterLikeEffect::kFreq)->value(),
                 static_cast<int>(std::lround(ui::ParameterSlider::kSteps / 3.0)));
    }

    void sliderOnLinearDbParameterMapsLinearly() {
        auto slot = std::make_shared<core::EffectSlot>(core::EffectFactory::create("gain"));
        ui::ParameterPanel panel;
        panel.setSlot(slot);
        // gain_db spans -60..+24 dB: a quarter of the travel is -60 + 84 / 4 = -39 dB.
        panel.sliderFor(core::GainEffect::kGainDb)->setValue(ui::ParameterSlider::kSteps / 4);
        QVERIFY(std::abs(slot->effect().parameters().get(core::GainEffect::kGainDb) + 39.0f) <
                1e-3f);
        QCOMPARE(panel.spinBoxFor(core::GainEffect::kGainDb)->suffix(), QString(" dB"));
    }

    void doubleClickOnSliderRestoresDefault() {
        auto slot = std::make_shared<core::EffectSlot>(std::make_unique<FilterLikeEffect>());
        ui::ParameterPanel panel;
        panel.resize(400, 200);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.setSlot(slot);
        panel.sliderFor(FilterLikeEffect::kFreq)->setValue(10);
        QVERIFY(slot->effect().parameters().get(FilterLikeEffect::kFreq) < 30.0f);
        QTest::mouseDClick(panel.sliderFor(FilterLikeEffect::kFreq), Qt::LeftButton);
        QCOMPARE(slot->effect().parameters().get(FilterLikeEffect::kFreq), 1000.0f);
    }

    void arrowKeyFineTunesByOneStepOfTravel() {
        auto slot = std::make_shared<core::EffectSlot>(std::make_unique<FilterLikeEffect>());
        ui::ParameterPanel panel;
        panel.setSlot(slot);
        ui::ParameterSlider* slider = panel.sliderFor(FilterLikeEffect::kFreq);
        const int before = slider->value();
        QTest::keyClick(slider, Qt::Key_Right);
        QCOMPARE(slider->value(), before + 1);
        // One step of 1/1000 of three decades: a factor 1000^(1/1000).
        const float expected = 20.0f * std::pow(1000.0f, (before + 1) / 1000.0f);
        QVERIFY(std::abs(slot->effect().parameters().get(FilterLikeEffect::kFreq) - expected) <
                expected * 1e-4f);
    }

    void choiceAndToggleStoreIndexAndBoolean() {
        auto slot = std::make_shared<core::EffectSlot>(std::make_unique<FilterLikeEffect>());
        ui::ParameterPanel panel;
        panel.setSlot(slot);
        panel.comboBoxFor(FilterLikeEffect::kMode)->setCurrentIndex(2);
        QCOMPARE(slot->effect().parameters().getChoice(FilterLikeEffect::kMode), 2);
        panel.checkBoxFor(FilterLikeEffect::kEnabled)->setChecked(false);
        QCOMPARE(slot->effect().parameters().get(FilterLikeEffect::kEnabled), 0.0f);
    }

    void bandSwitchedOffGreysOutItsOtherControls() {
        auto slot = std::make_shared<core::EffectSlot>(std::make_unique<BandsEffect>());
        ui::ParameterPanel panel;
        panel.setSlot(slot);
        QVERIFY(!panel.sliderFor(1)->isEnabled());  // band 1 starts off
        QVERIFY(panel.sliderFor(3)->isEnabled());   // band 2 starts on
        panel.comboBoxFor(0)->setCurrentIndex(1);
        QVERIFY(panel.sliderFor(1)->isEnabled());
        QVERIFY(panel.spinBoxFor(1)->isEnabled());
        slot->effect().parameters().set(2, 0.0f);  // band 2 turned off elsewhere (a preset)
        panel.refresh();
        QVERIFY(!panel.sliderFor(3)->isEnabled());
        QVERIFY(panel.comboBoxFor(2)->isEnabled());  // the switch itself stays usable
    }

    void refreshFollowsValuesSetElsewhere() {
        auto slot = std::make_shared<core::EffectSlot>(std::make_unique<FilterLikeEffect>());
        ui::ParameterPanel panel;
        panel.setSlot(slot);
        slot->effect().parameters().set(FilterLikeEffect::kFreq, 20000.0f);
        slot->effect().parameters().set(FilterLikeEffect::kMode, 1.0f);
        panel.refresh();
        QCOMPARE(panel.sliderFor(FilterLikeEffect::kFreq)->value(), ui::ParameterSlider::kSteps);
        QCOMPARE(panel.comboBoxFor(FilterLikeEffect::kMode)->currentIndex(), 1);
    }

    void readoutsShowTheReportedValuesWithTheirUnitAfterRefresh() {
        auto slot = std::make_shared<core::EffectSlot>(std::make_unique<ReportingEffect>());
        ui::ParameterPanel panel;
        panel.setSlot(slot);
        QCOMPARE(panel.readoutCount(), size_t{4});
        core::ParameterSet& outputs = slot->effect().outputs();
        outputs.store(ReportingEffect::kReduction, -6.0f);
        outputs.store(ReportingEffect::kError, 0.5f);
        outputs.store(ReportingEffect::kActive, 1.0f);
        outputs.store(ReportingEffect::kMode, 10.0f);  // the plugin's value of "high"
        panel.refresh();
        QCOMPARE(panel.readoutFor(ReportingEffect::kReduction)->text(),
                 QString::fromUtf8("\u22126.0 dB"));
        QCOMPARE(panel.readoutFor(ReportingEffect::kError)->text(), QString("0.50"));
        QCOMPARE(panel.readoutFor(ReportingEffect::kActive)->text(), QString("on"));
        QCOMPARE(panel.readoutFor(ReportingEffect::kMode)->text(), QString("high"));
        QVERIFY(std::abs(panel.meterFor(ReportingEffect::kReduction)->fraction() - 0.7) < 1e-6);
        QVERIFY(std::abs(panel.meterFor(ReportingEffect::kError)->fraction() - 0.75) < 1e-6);
        // On/off and choices are words, not bars.
        QVERIFY(!panel.meterFor(ReportingEffect::kActive));
        QVERIFY(!panel.meterFor(ReportingEffect::kMode));
        // Readouts are not controls: they take no input.
        QVERIFY(panel.readoutFor(0)->textInteractionFlags() == Qt::NoTextInteraction ||
                !panel.readoutFor(0)->textInteractionFlags().testFlag(Qt::TextEditable));
        outputs.store(ReportingEffect::kReduction, std::numeric_limits<float>::quiet_NaN());
        panel.refresh();
        QCOMPARE(panel.readoutFor(ReportingEffect::kReduction)->text(), QString::fromUtf8("–"));
        QCOMPARE(panel.meterFor(ReportingEffect::kReduction)->fraction(), 0.0);
    }

    void effectWithoutOutputsHasNoReadouts() {
        auto slot = std::make_shared<core::EffectSlot>(std::make_unique<FilterLikeEffect>());
        ui::ParameterPanel panel;
        panel.setSlot(slot);
        QCOMPARE(panel.readoutCount(), size_t{0});
        QVERIFY(!panel.readoutFor(0));
        QVERIFY(!panel.filterEdit());  // three parameters need no filter
    }

    void autotunePanelShowsEveryOutputOfThePluginAsALiveReadout() {
        if (!core::Lv2Catalogue::shared().find(kAutotune)) {
            QFAIL(
                "x42 Autotune is not installed; packaging/install-dependencies.sh test "
                "installs x42-plugins");
        }
        auto created = core::EffectFactory::create(core::EffectFactory::kPluginType, kAutotune);
        QVERIFY2(created.ok(), created.error().c_str());
        auto slot = std::make_shared<core::EffectSlot>(std::move(*created));
        ui::ParameterPanel panel;
        panel.setSlot(slot);
        const core::EffectInfo& info = slot->effect().info();
        QVERIFY(!info.outputs.empty());
        QCOMPARE(panel.readoutCount(), info.outputs.size());
        const int error = [&] {
            for (size_t i = 0; i < info.outputs.size(); ++i) {
                if (info.outputs[i].id == "error") {
                    return static_cast<int>(i);
                }
            }
            return -1;
        }();
        QVERIFY(error >= 0);
        QVERIFY(panel.meterFor(static_cast<size_t>(error)));
        slot->effect().outputs().store(static_cast<size_t>(error), -0.25f);
        panel.refresh();
        QVERIFY2(panel.readoutFor(static_cast<size_t>(error))->text().contains("0.25"),
                 qPrintable(panel.readoutFor(static_cast<size_t>(error))->text()));
        const core::ParameterInfo& e = info.outputs[static_cast<size_t>(error)];
        QVERIFY(std::abs(panel.meterFor(static_cast<size_t>(error))->fraction() -
                         e.toNormalised(-0.25f)) < 1e-6);
        // Every parameter of the plugin has its control too.
        for (size_t i = 0; i < info.parameters.size(); ++i) {
            QVERIFY(panel.sliderFor(i) || panel.comboBoxFor(i) || panel.checkBoxFor(i));
        }
    }

    void longParameterListGetsAFilterThatHidesWhatDoesNotMatch() {
        auto slot = std::make_shared<core::EffectSlot>(std::make_unique<ManyParametersEffect>());
        ui::ParameterPanel panel;
        panel.setSlot(slot);
        QVERIFY(panel.filterEdit());
        QTest::keyClicks(panel.filterEdit(), "param 3");
        size_t shown = 0;
        for (size_t i = 0; i < ManyParametersEffect::kCount; ++i) {
            const bool expected = i == 3 || (i >= 30 && i < 40);
            QCOMPARE(panel.isParameterShown(i), expected);
            QCOMPARE(panel.sliderFor(i)->isVisibleTo(&panel), expected);
            shown += panel.isParameterShown(i) ? 1 : 0;
        }
        QCOMPARE(shown, size_t{11});
        panel.filterEdit()->clear();
        for (size_t i = 0; i < ManyParametersEffect::kCount; ++i) {
            QVERIFY(panel.isParameterShown(i));
        }
    }

    void largestInstalledPluginGetsAControlForEveryParameterAndAFilter() {
        std::shared_ptr<const core::Lv2PluginInfo> largest;
        for (const auto& plugin : core::Lv2Catalogue::shared().plugins()) {
            if (plugin->supported() && (!largest || plugin->effectInfo.parameters.size() >
                                                        largest->effectInfo.parameters.size())) {
                largest = plugin;
            }
        }
        if (!largest ||
            largest->effectInfo.parameters.size() <= ui::ParameterPanel::kFilterThreshold) {
            QFAIL(
                "no installed plugin has a long parameter list; packaging/"
                "install-dependencies.sh test installs lsp-plugins-lv2");
        }
        auto created = core::EffectFactory::create(core::EffectFactory::kPluginType, largest->uri);
        QVERIFY2(created.ok(), created.error().c_str());
        auto slot = std::make_shared<core::EffectSlot>(std::move(*created));
        ui::ParameterPanel panel;
        panel.resize(360, 600);
        panel.setSlot(slot);
        QVERIFY(panel.filterEdit());
        const core::EffectInfo& info = slot->effect().info();
        for (size_t i = 0; i < info.parameters.size(); ++i) {
            QVERIFY(panel.sliderFor(i) || panel.comboBoxFor(i) || panel.checkBoxFor(i));
        }
        QCOMPARE(panel.readoutCount(), info.outputs.size());
        // Long names are elided so the narrow dock keeps its width.
        QVERIFY2(panel.minimumSizeHint().width() < 520,
                 qPrintable(QString::number(panel.minimumSizeHint().width())));
        qInfo("%s: %zu parameters, %zu outputs", largest->name.c_str(), info.parameters.size(),
              info.outputs.size());
    }
};

QTEST_MAIN(ParameterPanelTest)
#include "ParameterPanelTest.moc"
